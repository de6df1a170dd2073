import { formatModelList } from '../outcomes/train.js';
import { listRunIds, openExistingWorkspace, readRunJson } from '../publish/run-ref.js';
import { listModels } from '../warehouse/models.js';
import { requireString, type Command } from './command.js';

const options = { workspace: { type: 'string', short: 'w' }, json: { type: 'boolean' } } as const;

export const command: Command<typeof options> = {
  name: 'models',
  summary: 'list the trained models of a workspace (newest first) with their metrics and the runs that used them',
  usage: 'models --workspace WS [--json]',
  help: ['--workspace WS   the workspace', '--json           print the model cards as JSON'],
  example: 'sangloc models --workspace workspace',
  options,
  async run(args) {
    const ws = openExistingWorkspace(requireString(this, args, 'workspace'), { readOnly: true });
    const cards = listModels(ws);
    const usedBy = new Map<string, string[]>();
    for (const id of listRunIds(ws)) {
      const m = readRunJson(ws.runDir(id)).model_id;
      if (m) usedBy.set(m, [...(usedBy.get(m) ?? []), id]);
    }
    if (args.values.json)
      process.stdout.write(
        JSON.stringify(
          cards.map((c) => ({ ...c, runs: usedBy.get(c.model_id) ?? [] })),
          null,
          2,
        ) + '\n',
      );
    else process.stdout.write(formatModelList(cards, usedBy));
    return 0;
  },
};
