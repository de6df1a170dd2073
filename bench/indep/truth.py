# What the bench/indep scripts read of a world's truth and of a run: shared so that each reads them alike.
import collections, csv


def load_truth(world):
    """(records: (source, record_key) -> person_id, persons: person_id -> persons.csv row, info: person_info.csv)."""
    records = {(r['source'], r['record_key']): r['person_id'] for r in csv.DictReader(open(f'{world}/truth/records.csv'))}
    persons = {r['person_id']: r for r in csv.DictReader(open(f'{world}/truth/persons.csv'))}
    info = {r['person_id']: r for r in csv.DictReader(open(f'{world}/truth/person_info.csv'))}
    return records, persons, info


def read_csv(path):
    """A run's CSV (cases.csv, members.csv: UTF-8 with a byte-order mark)."""
    return csv.DictReader(open(path, encoding='utf-8-sig'))
