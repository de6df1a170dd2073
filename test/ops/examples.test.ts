/**
 * examples/ops/ must work as shipped: the systemd units pass `systemd-analyze verify` (where
 * systemd is installed), the Dockerfile builds and runs the sample batch (where a Docker engine
 * answers), and every file keeps the settings docs promise (table below).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../engine/paths.js';
import { tempDir } from '../helpers.js';

const ops = join(packageRoot, 'examples', 'ops');
const read = (f: string) => readFileSync(join(ops, f), 'utf8');
const answers = (cmd: string, args: string[]) =>
  spawnSync(cmd, args, { stdio: 'ignore', timeout: 20_000 }).status === 0;

const hasSystemd = answers('systemd-analyze', ['--version']);
const hasDocker = answers('docker', ['info']);
if (!hasSystemd)
  console.log('examples/ops: systemd-analyze not installed here: the `systemd-analyze verify` test does not run');
if (!hasDocker)
  console.log('examples/ops: no Docker engine answers `docker info` here: the Dockerfile build test does not run');

describe('examples/ops settings', () => {
  it.each([
    {
      file: 'sangloc.service',
      lines: [
        'Type=oneshot',
        'User=sangloc',
        'UMask=0077',
        'NoNewPrivileges=yes',
        'PrivateTmp=yes',
        'ProtectSystem=strict',
        'ReadWritePaths=/var/lib/sangloc',
        'ProtectHome=yes',
      ],
    },
    {
      file: 'sangloc.timer',
      lines: ['OnCalendar=*-*-* 01:00:00', 'Persistent=true', 'Unit=sangloc.service', 'WantedBy=timers.target'],
    },
    {
      file: 'Dockerfile',
      lines: [
        'FROM node:20-bookworm-slim',
        'USER sangloc',
        'RUN npm ci --include=dev',
        'VOLUME ["/opt/sangloc/workspace"]',
        'CMD ["sh", "-c", "umask 077 && exec npm start"]',
      ],
    },
  ])('$file has $lines.length required lines', ({ file, lines }) => {
    const text = read(file).split('\n');
    for (const l of lines) expect(text, `${file}: ${l}`).toContain(l);
  });

  it('the service and the cron line run the batch with --wait into the workspace the service may write', () => {
    const service = read('sangloc.service');
    const exec = service.split('\n').find((l) => l.startsWith('ExecStart='))!;
    expect(exec).toMatch(/ run --input \S+ --workspace \/var\/lib\/sangloc\/workspace .*--wait$/);
    const cron = read('crontab')
      .split('\n')
      .filter((l) => /^[0-9*]/.test(l));
    expect(cron[0]).toMatch(/^0\s+1\s+\*\s+\*\s+\*\s+umask 077 && .* run .* --wait /);
    for (const line of cron) expect(line.split(/\s+/).length).toBeGreaterThan(5);
  });
});

describe.runIf(hasSystemd)('systemd units (systemd-analyze verify)', () => {
  it('verify passes with no warning about our units', () => {
    const dir = tempDir('sangloc-units-');
    for (const f of ['sangloc.service', 'sangloc.timer']) copyFileSync(join(ops, f), join(dir, f));
    const r = spawnSync('systemd-analyze', ['verify', join(dir, 'sangloc.service'), join(dir, 'sangloc.timer')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    // verify exits 0 on unknown keys and only prints them: no line may name our units.
    const ours = `${r.stdout}\n${r.stderr}`.split('\n').filter((l) => /sangloc/.test(l));
    expect({ status: r.status, ours }).toEqual({ status: 0, ours: [] });
  });
});

describe.runIf(hasDocker)('Dockerfile (needs a Docker engine)', () => {
  it('builds, and `npm start` publishes the sample run as the non-root user', () => {
    const tag = `sangloc-test:${process.pid}`;
    const build = spawnSync('docker', ['build', '-f', join(ops, 'Dockerfile'), '-t', tag, packageRoot], {
      encoding: 'utf8',
      timeout: 900_000,
    });
    expect(build.status, build.stderr.slice(-2000)).toBe(0);
    try {
      const run = spawnSync('docker', ['run', '--rm', tag], { encoding: 'utf8', timeout: 900_000 });
      expect(run.status, run.stderr.slice(-2000)).toBe(0);
      expect(run.stdout).toMatch(/sangloc: run \d{8}-\d{6}-[0-9a-f]{6} published/);
      const who = spawnSync('docker', ['run', '--rm', tag, 'id', '-un'], { encoding: 'utf8' });
      expect(who.stdout.trim()).toBe('sangloc');
    } finally {
      spawnSync('docker', ['rmi', '-f', tag], { stdio: 'ignore' });
    }
  }, 1_800_000);
});
