import { loadConfig } from '../config/index.js';
import { openWarehouse } from '../explain/open.js';
import { createLogger } from '../log.js';
import { formatTrainResult, trainOnOutcomes } from '../outcomes/train.js';
import { openExistingWorkspace } from '../publish/run-ref.js';
import { acquireLock } from '../warehouse/workspace.js';
import { auditCommand } from './audit.js';
import { optionalInt, requireString, workspaceOptions, type Command, langFromConfig } from './command.js';

const options = { ...workspaceOptions, 'tax-year': { type: 'string' }, wait: { type: 'boolean' } } as const;

export const command: Command<typeof options> = {
  name: 'train',
  summary: 'retrain the forest on every audit outcome in the warehouse and print cross-validated metrics',
  usage: 'train --workspace WS [--tax-year Y] [--config FILE] [--wait]',
  help: [
    '--workspace WS   a workspace with at least one run (its features are the training inputs)',
    '--tax-year Y     must match the tax year of the last run (default: that year)',
    '--config FILE    the config the runs use (seed, tax rules)',
    '--wait           wait for a run holding the workspace instead of exiting',
    'exit code 0 when a model was trained, 3 when there are too few outcomes',
  ],
  example: 'sangloc train --workspace workspace',
  options,
  async run(args) {
    const ws = openExistingWorkspace(requireString(this, args, 'workspace'));
    const config = loadConfig(args.values.config as string | undefined);
    langFromConfig(args, config);
    const taxYear = optionalInt(args, 'tax-year', 2000, 2100);
    const log = createLogger({ quiet: Boolean(args.values.quiet) });
    const lock = await acquireLock(ws, { wait: Boolean(args.values.wait), command: 'train' });
    try {
      const db = await openWarehouse(ws, { threads: config.threads, memoryLimit: config.memoryLimit });
      try {
        const r = await log.stage('train', () => trainOnOutcomes(db, ws, { config, log, taxYear }));
        // Training reads every audit outcome and the features of the entities they reach.
        const counts: Record<string, number> =
          r.status === 'trained'
            ? { labels: r.card.labels, positives: r.card.positives, random_labels: r.card.random_labels }
            : { labels: r.labels, positives: r.positives };
        auditCommand(ws, 'train', args, {
          rows: counts,
          detail: r.status === 'trained' ? `model ${r.card.model_id} saved` : `no model: ${r.reason}`,
        });
        process.stdout.write(formatTrainResult(r));
        return r.status === 'trained' ? 0 : 3;
      } finally {
        db.close();
      }
    } finally {
      lock.release();
    }
  },
};
