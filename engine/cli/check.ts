import { loadConfig } from '../config/index.js';
import { checkDelivery, formatCheck } from '../ingest/check.js';
import { requireString, type Command, langFromConfig } from './command.js';

export const command: Command = {
  name: 'check',
  summary:
    'dry-run a delivery: how each file would be read and loaded, and the config that fixes it (touches no workspace)',
  usage: 'check --input DIR [--config FILE] [--json]',
  help: [
    '--input DIR        delivery folder, as given to `sangloc run`',
    '--config FILE      JSON config whose ingest.sources.<source> settings to read the files with',
    '--json             the report as JSON on stdout instead of text',
    '',
    'Per file: the source it is taken for, encoding, CSV dialect (or sheet and header row), the column',
    'mapping (contract column ← file column; missing required; ignored), the rows that would load or',
    'be rejected, the top reject reasons with line numbers, and an ingest.sources.<source> snippet for',
    'what a setting can fix, checked again with the snippet. Values are never printed.',
    '',
    'Exit 0 when every file would load (rows rejected for bad values are warnings); 1 when a file',
    'would be refused or would load none of its rows; 2 for wrong flags.',
  ],
  example: 'sangloc check --input incoming/2026-11 --config sangloc.json',
  options: {
    input: { type: 'string', short: 'i' },
    config: { type: 'string', short: 'c' },
    json: { type: 'boolean' },
  },
  async run(args) {
    const input = requireString(this, args, 'input');
    const config = loadConfig(args.values.config as string | undefined);
    langFromConfig(args, config);
    const report = await checkDelivery(input, config.ingest, { threads: config.threads });
    process.stdout.write(
      args.values.json ? JSON.stringify(report, null, 2) + '\n' : formatCheck(report).join('\n') + '\n',
    );
    return report.ok ? 0 : 1;
  },
};
