"""
Renders the project's DuckDB SQL (the models in pipelines/ and the normalisation macros of
engine/normalize/sql.ts) as Spark SQL. One source of truth: the model files are DuckDB SQL as the
embedded engine runs them; this module rewrites, per construct, what Spark spells differently.
sqlglot (a maintained SQL transpiler) parses the DuckDB text and writes Spark's; the functions
below handle what sqlglot cannot know (regular-expression dialects, macros, session variables,
DuckDB functions Spark lacks). The list of differences and their rendering is docs/spark.md's.
"""

import re
import unicodedata

import sqlglot
from sqlglot import exp

# --- regular expressions: RE2 (DuckDB) -> java.util.regex (Spark) ---------------------------------

_WORD = "[0-9A-Za-z_]"
# RE2's \b is an ASCII word boundary; Java 17's is Unicode-aware.
_ASCII_BOUNDARY = f"(?:(?<={_WORD})(?!{_WORD})|(?<!{_WORD})(?={_WORD}))"


def java_regex(pattern: str) -> str:
    """The Java pattern matching what RE2 matches for `pattern`.

    - `(?d)` (UNIX_LINES): `.` excludes only \\n, as in RE2 (Java also excludes \\r, \\u0085 …).
    - `$` outside a class -> `\\z`: RE2's `$` is the end of text; Java's also matches before a final
      line terminator.
    - `\\b` -> an ASCII word boundary; `\\s` -> `[\\t\\n\\f\\r ]` (Java's \\s also has \\x0B).
    - `\\x{…}`, `\\p{L}`, `(?:…)`, classes and counted repetition are spelled the same.
    """
    out = []
    in_class = False
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            n = pattern[i + 1]
            if n == "b" and not in_class:
                out.append(_ASCII_BOUNDARY)
            elif n == "s":
                out.append("\\t\\n\\f\\r " if in_class else "[\\t\\n\\f\\r ]")
            else:
                out.append(c + n)
            i += 2
            continue
        if in_class:
            if c == "]" and not (out and out[-1] in ("[", "[^")):
                in_class = False
            elif c == "[":
                c = "\\["  # Java nests classes; RE2 reads [ in a class as itself
            elif c == "&" and i + 1 < len(pattern) and pattern[i + 1] == "&":
                c = "\\&"  # Java's class intersection
        elif c == "[":
            in_class = True
            if i + 1 < len(pattern) and pattern[i + 1] == "^":
                out.append("[^")
                i += 2
                if i < len(pattern) and pattern[i] == "]":
                    out.append("\\]")
                    i += 1
                continue
            if i + 1 < len(pattern) and pattern[i + 1] == "]":
                out.append("[\\]")
                i += 2
                continue
        elif c == "$":
            c = "\\z"
        out.append(c)
        i += 1
    return "(?d)" + "".join(out)


# --- strip_accents: DuckDB removes combining marks after canonical decomposition -------------------


def _accent_table() -> tuple[str, str, str]:
    src, dst, marks = [], [], []
    for cp in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base != ch and len(base) == 1:
            src.append(ch)
            dst.append(base)
    for cp in range(0x0300, 0x0370):
        marks.append(chr(cp))
    return "".join(src), "".join(dst), "".join(marks)


_ACCENT_FROM, _ACCENT_TO, _MARKS = _accent_table()


def strip_accents(arg: exp.Expression) -> exp.Expression:
    """translate() over every precomposed Latin letter with marks (Latin-1 … Latin Extended
    Additional, which holds Vietnamese) to its base letter; combining marks are deleted (translate
    drops characters of `from` with no partner in `to`)."""
    return exp.Anonymous(
        this="translate",
        expressions=[arg, exp.Literal.string(_ACCENT_FROM + _MARKS), exp.Literal.string(_ACCENT_TO)],
    )


# --- the renderer --------------------------------------------------------------------------------


def _lit(node):
    return isinstance(node, exp.Literal) and node.is_string


def _first_only(subject, pattern: str, replacement: exp.Expression) -> exp.Expression:
    """DuckDB's regexp_replace without 'g' replaces the first match only; Spark's replaces every
    match. `^(.*?)(?:p)` -> `$1<replacement>` replaces exactly the leftmost match."""
    rep = replacement.name.replace("\\", "\\\\").replace("$", "\\$") if _lit(replacement) else None
    if rep is None:
        raise ValueError("regexp_replace without 'g' needs a literal replacement to render for Spark")
    pat = java_regex(pattern)[4:]  # without (?d): re-added in front of the whole pattern
    return exp.Anonymous(
        this="regexp_replace",
        expressions=[subject, exp.Literal.string("(?d)(?s:^(.*?))(?:" + pat + ")"), exp.Literal.string("$1" + rep)],
    )


def _transform(node: exp.Expression, variables: dict) -> exp.Expression:
    if isinstance(node, exp.Select) and node.args.get("qualify") is not None:
        # QUALIFY q -> the condition as a column `_sangloc_q` of the select, kept rows filtered one
        # level up; the driver drops `_sangloc_*` columns from what a model writes
        cond = node.args["qualify"].this
        # Spark refuses a select's own aliases inside a window: write the aliased expressions out
        aliases = {e.alias: e.this for e in node.expressions if isinstance(e, exp.Alias)}
        cond = cond.transform(
            lambda c: aliases[c.name].copy() if isinstance(c, exp.Column) and not c.table and c.name in aliases else c
        )
        inner = node.copy()
        inner.set("qualify", None)
        inner.set("expressions", [*inner.expressions, exp.alias_(cond, "_sangloc_q")])
        # `* except (_sangloc_q)`: a CTE or union branch keeps exactly its own columns
        star = exp.Star(except_=[exp.column("_sangloc_q")])
        sub = exp.Subquery(this=inner, alias=exp.TableAlias(this=exp.to_identifier("_sangloc_qualify")))
        return exp.select(star).from_(sub).where(exp.column("_sangloc_q"))
    if isinstance(node, exp.CTE) and node.args.get("materialized") is not None:
        # `as materialized`: a DuckDB planning hint; Spark decides reuse itself
        node.set("materialized", None)
        return node
    if isinstance(node, (exp.Year, exp.Month, exp.Day)):
        # DuckDB's year()/month()/day() are BIGINT, Spark's INT: the written column types agree
        return exp.Cast(this=node, to=exp.DataType.build("bigint"))
    if isinstance(node, exp.Select) and node.args.get("joins"):
        _lateral_unnest(node)
    if isinstance(node, exp.Filter) and isinstance(node.this, exp.GroupConcat):
        agg = _distinct_sorted_concat(node.this, node.expression)
        if agg is not None:
            return agg
    if isinstance(node, exp.GroupConcat) and not isinstance(node.parent, exp.Filter):
        agg = _distinct_sorted_concat(node, None)
        if agg is not None:
            return agg
    if isinstance(node, exp.ArrayAgg) and isinstance(node.this, exp.Order):
        return _ordered_list(node.this)
    if isinstance(node, exp.RegexpFullMatch):
        pat = node.expression
        if not _lit(pat):
            raise ValueError("regexp_full_match needs a literal pattern to render for Spark")
        return exp.RegexpLike(this=node.this, expression=exp.Literal.string(java_regex("^(?:" + pat.name + ")$")))
    if isinstance(node, exp.Explode) and any(
        isinstance(e, exp.PropertyEQ) and e.this.name.lower() == "recursive" for e in node.expressions
    ):
        # unnest(from_json(x, '[{"a":"VARCHAR"}]'), recursive := true): one row per element, one column
        # per key -> inline(from_json(x, 'array<struct<a:string>>'))
        inner = node.this
        if not (isinstance(inner, exp.FromJson) and _lit(inner.expression)):
            raise ValueError("unnest(…, recursive := true) is rendered for Spark over from_json with a literal structure only")
        return exp.Anonymous(
            this="inline",
            expressions=[exp.Anonymous(this="from_json", expressions=[inner.this, exp.Literal.string(_json_ddl(inner.expression.name))])],
        )
    if isinstance(node, (exp.RegexpLike, exp.RegexpExtract, exp.RegexpExtractAll)) and _lit(node.expression):
        node.set("expression", exp.Literal.string(java_regex(node.expression.name)))
        return node
    if isinstance(node, exp.RegexpReplace) and _lit(node.expression):
        mods = node.args.get("modifiers")
        if mods is not None and "g" in mods.name:
            node.set("modifiers", None)
            node.set("expression", exp.Literal.string(java_regex(node.expression.name)))
            return node
        return _first_only(node.this, node.expression.name, node.args["replacement"])
    if isinstance(node, exp.Anonymous):
        name = node.name.lower()
        args = node.expressions
        if name == "strip_accents":
            return strip_accents(args[0])
        if name == "getvariable":
            key = args[0].name
            if key not in variables:
                return exp.Null()  # DuckDB: an unset variable is NULL
            v = variables[key]
            if isinstance(v, bool):
                return exp.Boolean(this=v)
            if isinstance(v, (int, float)):
                return exp.Literal.number(v)
            return exp.Literal.string(str(v))
        if name == "map_extract_value":
            return exp.Anonymous(this="try_element_at", expressions=args)
        if name == "list_reverse":
            return exp.Anonymous(this="reverse", expressions=args)
        if name == "list_has_all":
            # every element of the second list is in the first
            return exp.EQ(
                this=exp.Anonymous(this="size", expressions=[exp.Anonymous(this="array_except", expressions=[args[1], args[0]])]),
                expression=exp.Literal.number(0),
            )
        if name == "nfc_normalize":
            return exp.Anonymous(this="sangloc_nfc", expressions=args)
        if name == "damerau_levenshtein":
            return exp.Anonymous(this="sangloc_damerau_levenshtein", expressions=args)
    if isinstance(node, exp.JarowinklerSimilarity):
        return exp.Anonymous(this="sangloc_jaro_winkler", expressions=[node.this, node.expression])
    if isinstance(node, exp.ToMap):
        # DuckDB map {k: v, …} -> map(k, v, …)
        pairs = []
        for p in node.this.expressions:
            pairs += [exp.Literal.string(p.this.name), p.expression]
        return exp.Anonymous(this="map", expressions=pairs)
    if isinstance(node, exp.Bracket) and len(node.expressions) == 1 and not isinstance(node.expressions[0], exp.Slice):
        # list[i] (1-based): DuckDB gives NULL past the end, Spark's [] fails (ANSI); try_element_at is 1-based
        # (sqlglot stores DuckDB's 1-based index 0-based: add the 1 back)
        i = node.expressions[0]
        one_based = exp.Literal.number(int(i.to_py()) + 1) if i.is_int else i
        return exp.Anonymous(this="try_element_at", expressions=[node.this, one_based])
    if isinstance(node, exp.Bracket) and len(node.expressions) == 1 and isinstance(node.expressions[0], exp.Slice):
        # string slice d[a:b] (1-based, inclusive; negative counts from the end)
        s = node.expressions[0]
        start, end = s.this, s.expression
        start_n, end_n = int(start.to_py()), int(end.to_py())
        if start_n <= 0:
            raise ValueError("string slice with a non-positive start is not rendered")
        if end_n >= 0:
            length = exp.Literal.number(end_n - start_n + 1)
        else:
            length = exp.Sub(
                this=exp.Length(this=node.this.copy()), expression=exp.Literal.number(start_n - end_n - 2)
            )
        return exp.Substring(this=node.this, start=exp.Literal.number(start_n), length=length)
    return node


_JSON_TYPES = {"VARCHAR": "string", "BIGINT": "bigint", "INTEGER": "int", "DOUBLE": "double", "BOOLEAN": "boolean"}


def _json_ddl(structure: str) -> str:
    """DuckDB's from_json structure (JSON: a list, an object of keys, type names) -> Spark's DDL type."""
    import json

    def ddl(v):
        if isinstance(v, list) and len(v) == 1:
            return f"array<{ddl(v[0])}>"
        if isinstance(v, dict):
            return "struct<" + ",".join(f"`{k}`:{ddl(t)}" for k, t in v.items()) + ">"
        if isinstance(v, str) and v.upper() in _JSON_TYPES:
            return _JSON_TYPES[v.upper()]
        raise ValueError(f"from_json structure {structure[:80]} is not rendered for Spark")

    return ddl(json.loads(structure))


def _lateral_unnest(select: exp.Select) -> None:
    """`from t, lateral (select unnest(l1) as a, unnest(l2) as b) v` -> `from t, lateral
    inline(arrays_zip(l1, l2)) as v(a, b)` (explode for one list): DuckDB's unnests side by side."""
    keep = []
    for j in select.args["joins"]:
        lat = j.this
        sub = lat.this if isinstance(lat, exp.Lateral) else None
        sel = sub.this if isinstance(sub, exp.Subquery) else sub
        if (
            isinstance(sel, exp.Select)
            and not sel.find(exp.From)
            and sel.expressions
            and all(isinstance(e, exp.Alias) and isinstance(e.this, (exp.Unnest, exp.Explode)) for e in sel.expressions)
        ):
            lists = [e.this.this if isinstance(e.this, exp.Explode) else e.this.expressions[0] for e in sel.expressions]
            names = [exp.to_identifier(e.alias) for e in sel.expressions]
            alias = lat.args.get("alias") or (sub.args.get("alias") if isinstance(sub, exp.Subquery) else None)
            table = exp.to_identifier(alias.name if alias is not None and alias.name else "_sangloc_unnest")
            fn = (
                exp.Anonymous(this="explode", expressions=lists)
                if len(lists) == 1
                else exp.Anonymous(this="inline", expressions=[exp.Anonymous(this="arrays_zip", expressions=lists)])
            )
            # a lateral join to the generator as a table function: later joins may use its columns
            j.set("this", exp.Lateral(this=fn, view=False, alias=exp.TableAlias(this=table, columns=names)))
        keep.append(j)
    select.set("joins", keep)


def _union_by_name(node: exp.Union) -> exp.Expression:
    """UNION [ALL] BY NAME -> a positional union: every branch selects the union of the names (in
    DuckDB's order: the first branch's, then new ones as they come), NULL where it lacks one."""
    branches = []

    def flat(n):
        if isinstance(n, exp.Union) and n.args.get("by_name") and n.args.get("distinct") == node.args.get("distinct"):
            flat(n.this)
            flat(n.expression)
        else:
            branches.append(n)

    flat(node)
    if not all(isinstance(b, exp.Select) and all(e.alias_or_name and not isinstance(e, exp.Star) for e in b.expressions) for b in branches):
        raise ValueError(
            "UNION BY NAME needs explicit columns in every branch to render for Spark: "
            + " | ".join(b.sql("duckdb")[:200] for b in branches if not isinstance(b, exp.Select) or any(isinstance(e, exp.Star) or not e.alias_or_name for e in b.expressions))
        )
    names = []
    for b in branches:
        for e in b.expressions:
            if e.alias_or_name not in names:
                names.append(e.alias_or_name)
    out = None
    for b in branches:
        have = {e.alias_or_name: e for e in b.expressions}
        b.set("expressions", [have[n] if n in have else exp.alias_(exp.Null(), n) for n in names])
        out = b if out is None else exp.Union(this=out, expression=b, distinct=node.args.get("distinct"))
    return out


def _ordered_list(order: exp.Order) -> exp.Expression:
    """DuckDB `list(v order by k1, k2 …)` -> `transform(array_sort(collect_list(struct(k1 is null, k1, …,
    v))), s -> s.v)`. sqlglot writes plain `collect_list(v)`, dropping the order without a word (Spark's
    collect_list keeps no order). Each key is preceded by its null flag, so NULL keys sort last as in
    DuckDB; a row whose v is NULL stays, as in DuckDB's list()."""
    fields: list[exp.Expression] = []
    for i, key in enumerate(order.expressions):
        if key.args.get("desc"):
            raise ValueError("list(… order by … desc) is not rendered for Spark")
        null = exp.Is(this=key.this.copy(), expression=exp.Null())
        flag = exp.Not(this=null) if key.args.get("nulls_first") else null
        fields += [exp.PropertyEQ(this=exp.to_identifier(f"n{i}"), expression=flag),
                   exp.PropertyEQ(this=exp.to_identifier(f"k{i}"), expression=key.this.copy())]
    fields.append(exp.PropertyEQ(this=exp.to_identifier("v"), expression=order.this.copy()))
    collected = exp.ArrayAgg(this=exp.Struct(expressions=fields), nulls_excluded=True)
    return exp.Transform(
        this=exp.ArraySort(this=collected),
        expression=exp.Lambda(
            this=exp.Dot(this=exp.to_identifier("_s"), expression=exp.to_identifier("v")),
            expressions=[exp.to_identifier("_s")],
        ),
    )


def _distinct_sorted_concat(node: exp.GroupConcat, where) -> exp.Expression | None:
    """string_agg(distinct x, sep order by x) [filter (where c)] -> the sorted distinct values
    joined, NULL when there are none: Spark 4.3 fails executing `listagg(distinct x) within group
    (order by x)` (ClassCastException), so it is written with collect_set."""
    order = node.this
    if not (isinstance(order, exp.Order) and isinstance(order.this, exp.Distinct)):
        return None
    values = order.this.expressions
    keys = order.expressions
    if len(values) != 1 or len(keys) != 1 or keys[0].args.get("desc") or keys[0].this != values[0]:
        return None
    collected = exp.Anonymous(this="collect_set", expressions=[values[0].copy()])
    if where is not None:
        collected = exp.Filter(this=collected, expression=where.copy())
    arr = exp.Anonymous(this="array_sort", expressions=[collected])
    sep = node.args.get("separator") or exp.Literal.string(",")
    return exp.Case(
        ifs=[exp.If(this=exp.EQ(this=exp.Anonymous(this="size", expressions=[arr.copy()]), expression=exp.Literal.number(0)), true=exp.Null())],
        default=exp.Anonymous(this="array_join", expressions=[arr, sep.copy()]),
    )


_LEN = re.compile(r"\blen\(")
_STR_INDEX = re.compile(r"\b([a-z_]+)\[(\d+)\]")


def render(sql: str, variables: dict | None = None, string_columns: tuple = ("d",), schema=None) -> str:
    """One DuckDB statement or expression query -> Spark SQL. `schema` ({table: {column: type}}, or a
    function returning it) of the tables the query reads lets DuckDB's `* exclude (…)` / `* replace (…)` be written out as
    column lists (sqlglot's qualify), as Spark has neither."""
    return _render_tree(sql, variables, string_columns, schema).sql(dialect="spark")


def _render_tree(sql: str, variables: dict | None, string_columns: tuple = ("d",), schema=None) -> exp.Expression:
    """render()'s work, before writing the tree out as Spark SQL."""
    variables = variables or {}
    # DuckDB's len() of a list (the models use it on lists only) is Spark's size().
    sql = _LEN.sub("array_length(", sql)
    # a single character of a string column: d[10] -> substr(d, 10, 1) (list indexing is left to sqlglot)
    sql = _STR_INDEX.sub(lambda m: f"substr({m.group(1)}, {m.group(2)}, 1)" if m.group(1) in string_columns else m.group(0), sql)
    tree = sqlglot.parse_one(sql, read="duckdb")
    if any(st.args.get(k) for st in tree.find_all(exp.Star) for k in ("except", "except_", "replace")) or any(
        u.args.get("by_name") for u in tree.find_all(exp.Union)
    ):
        if callable(schema):
            schema = schema()  # looked up only for the queries that need it
        if schema is None:
            raise ValueError("* exclude / * replace need the schema of the tables read to render for Spark")
        from sqlglot.optimizer.qualify import qualify

        tree = qualify(
            tree,
            dialect="duckdb",
            schema=schema,
            expand_stars=True,
            validate_qualify_columns=False,
            quote_identifiers=False,
            identify=False,
        )
        # before QUALIFY and the rest turn a branch into `select * from (…)`
        tree = tree.transform(lambda n: _union_by_name(n) if isinstance(n, exp.Union) and n.args.get("by_name") else n)
    tree = _inline_in_lambdas(tree)
    return _post_order(tree, variables)


CTE_VIEW = "_sangloc_cte_"


def split_shared_ctes(sql: str, variables: dict | None = None, schema=None) -> list[tuple[str | None, str]]:
    """One DuckDB model -> its Spark statements: first one `(view, sql)` per CTE the model reads
    more than once (in order; the driver writes each out and reads it back as temp view `view`),
    then `(None, sql)`, the model itself reading those views.

    Why: Spark inlines a CTE at every use, and a CTE built on CTEs is inlined inside each copy, so a
    model of chained CTEs (int_cod_senders: `places` read 7 times, and `flagged` built on it read 4)
    becomes a plan many times the size of its SQL. Planning it took 70 s for 7,000 parcels, and the
    driver intermittently ran out of heap building its broadcast tables. Written out, each shared
    CTE is computed once and read back as a plain table: the same rows, a plan as wide as the SQL.
    A CTE marked `not materialized` (DuckDB's hint to inline) stays inlined."""
    shared = set(shared_ctes(sql))
    rendered = _render_tree(sql, variables, schema=schema)
    w = rendered.find(exp.With)
    if w is None or not shared:
        return [(None, rendered.sql(dialect="spark"))]
    for t in list(rendered.find_all(exp.Table)):
        if not t.db and t.name in shared:
            if not t.alias:
                # columns qualified by the CTE's name still find it
                t.set("alias", exp.TableAlias(this=exp.to_identifier(t.name)))
            t.set("this", exp.to_identifier(CTE_VIEW + t.name))
    ctes = {c.alias: c for c in w.expressions}
    inlined = [c for c in w.expressions if c.alias not in shared]

    def needs(node: exp.Expression) -> list[exp.CTE]:
        """The inlined CTEs `node` reads, directly or through each other, in their order."""
        seen: set[str] = set()
        todo = [node]
        while todo:
            for t in todo.pop().find_all(exp.Table):
                if not t.db and t.name in ctes and t.name not in shared and t.name not in seen:
                    seen.add(t.name)
                    todo.append(ctes[t.name].this)
        return [c for c in inlined if c.alias in seen]

    parts: list[tuple[str | None, str]] = []
    for c in w.expressions:
        if c.alias not in shared:
            continue
        body = c.this.copy()
        used = needs(c.this)
        if used:
            body.set("with_", exp.With(expressions=[u.copy() for u in used]))
        parts.append((CTE_VIEW + c.alias, body.sql(dialect="spark")))
    parent, key = w.parent, w.arg_key
    w.pop()
    used = needs(rendered)
    if used:
        parent.set(key, exp.With(expressions=used))
    parts.append((None, rendered.sql(dialect="spark")))
    return parts


def shared_ctes(sql: str) -> list[str]:
    """The CTEs of a DuckDB model read more than once, in order, but those marked `not materialized`."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    w = tree.find(exp.With)
    if w is None:
        return []
    refs = {c.alias: 0 for c in w.expressions}
    for t in tree.find_all(exp.Table):
        if not t.db and t.name in refs:
            refs[t.name] += 1
    return [c.alias for c in w.expressions if refs[c.alias] > 1 and c.args.get("materialized") is not False]


# DuckDB macros by name: (parameters, body as parsed DuckDB SQL); filled by render_macros.
_MACROS: dict = {}


def _unwrap_subquery(node: exp.Expression) -> exp.Expression:
    """`(select f(x))` without FROM -> `f(x)`."""
    if isinstance(node, exp.Subquery) and isinstance(node.this, exp.Select) and not node.this.find(exp.From):
        if len(node.this.expressions) == 1 and not isinstance(node.this.expressions[0], exp.Alias):
            return node.this.expressions[0]
    return node


def _expand(node: exp.Expression, depth: int = 0) -> exp.Expression:
    """Every macro call in `node` replaced by the macro's body, its parameters by the arguments."""
    if depth > 40:
        raise ValueError("macro expansion too deep")

    def step(n):
        if isinstance(n, exp.Anonymous) and n.name.lower() in _MACROS:
            params, body = _MACROS[n.name.lower()]
            args = dict(zip(params, n.expressions))
            inlined = body.copy().transform(
                lambda c: args[c.name].copy() if isinstance(c, exp.Column) and not c.table and c.name in args else c
            )
            return exp.Paren(this=_expand(inlined, depth + 1))
        return n

    return node.transform(step)


def _with_lambda(name: str, seen=()) -> bool:
    """Whether a macro's body holds a lambda, itself or through the macros it calls."""
    if name in seen:
        return False
    body = _MACROS[name][1]
    if body.find(exp.Lambda):
        return True
    return any(
        _with_lambda(c.name.lower(), seen + (name,))
        for c in body.find_all(exp.Anonymous)
        if c.name.lower() in _MACROS
    )


def _one_level(n: exp.Anonymous) -> exp.Expression:
    params, body = _MACROS[n.name.lower()]
    args = dict(zip(params, n.expressions))
    return exp.Paren(
        this=body.copy().transform(
            lambda c: args[c.name].copy() if isinstance(c, exp.Column) and not c.table and c.name in args else c
        )
    )


def _inline_in_lambdas(node: exp.Expression) -> exp.Expression:
    """Spark refuses a SQL function inside a lambda of a higher-order function (filter, transform)
    and a lambda inside a SQL function's arguments. So macros stay Spark functions except: in a
    lambda every macro is written out in full (its parameters are the lambda's, so this stays small);
    a macro whose body holds a lambda, or called with one in its arguments, is written out one level
    and looked at again. DuckDB-only scalar subqueries `(select f(x))` are dropped."""
    node = _unwrap_subquery(node)
    if isinstance(node, exp.Lambda):
        return exp.Lambda(this=_expand(node.this.transform(_unwrap_subquery)), expressions=node.expressions)
    is_macro = isinstance(node, exp.Anonymous) and node.name.lower() in _MACROS
    if is_macro and _with_lambda(node.name.lower()):
        return _inline_in_lambdas(_one_level(node))
    for key, value in list(node.args.items()):
        if isinstance(value, exp.Expression):
            node.set(key, _inline_in_lambdas(value))
        elif isinstance(value, list):
            node.set(key, [_inline_in_lambdas(v) if isinstance(v, exp.Expression) else v for v in value])
    if is_macro and any(a.find(exp.Lambda) for a in node.expressions):
        return _inline_in_lambdas(_one_level(node))
    return node


def _post_order(node: exp.Expression, variables: dict) -> exp.Expression:
    """Rewrites the children first, then the node: a rewritten node's arguments are rendered too."""
    for key, value in list(node.args.items()):
        if isinstance(value, exp.Expression):
            node.set(key, _post_order(value, variables))
        elif isinstance(value, list):
            node.set(key, [_post_order(v, variables) if isinstance(v, exp.Expression) else v for v in value])
    return _transform(node, variables)


_MACRO = re.compile(r"create or replace macro (\w+)\(([^)]*)\) as(.*)", re.S)
# parameter types where a macro does not take text
_PARAM_TYPES = {("mst_check_digit", "n"): "BIGINT", ("money_round", "v"): "DOUBLE"}


def render_macros(script: str) -> list[str]:
    """DuckDB `create or replace macro f(a) as body;` -> Spark SQL functions
    `create or replace temporary function f(a STRING) return <body>` (Spark 4 SQL UDFs).
    DuckDB-only performance idioms are dropped: a scalar subquery `(select f(x))` (DuckDB computes
    it once per distinct value) is the plain call on Spark."""
    out = []
    body_only = re.sub(r"--[^\n]*", "", script)
    for stmt in re.split(r";[ \t]*(?:\n|$)", body_only):
        m = _MACRO.match(stmt.strip())
        if not m:
            if stmt.strip():
                raise ValueError("not a macro statement: " + stmt.strip()[:80])
            continue
        name, params, body = m.group(1), [p.strip() for p in m.group(2).split(",")], m.group(3).strip()
        sub = re.fullmatch(r"\(select (.*)\)", body, re.S)
        if sub:
            body = sub.group(1)
        _MACROS[name] = (params, sqlglot.parse_one("select " + body, read="duckdb").expressions[0].transform(_unwrap_subquery))
        if _with_lambda(name):
            continue  # written out where called (_inline_in_lambdas)
        rendered = render("select " + body)
        assert rendered.upper().startswith("SELECT ")
        typed = ", ".join(f"{p} {_PARAM_TYPES.get((name, p), 'STRING')}" for p in params)
        out.append(f"create or replace temporary function {name}({typed}) return {rendered[7:]}")
    return out
