// Talks to firmware's encodeCases host program: one process answers a whole batch of cases, one
// line per case, so hundreds of generated cases cost one spawn.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export async function askEncoder(buildDir: string, lines: readonly string[]): Promise<string[]> {
  const child = spawn(join(buildDir, 'host/encodeCases'), [], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  child.stdin.end(lines.map((line) => `${line}\n`).join(''));
  const code = await exited;
  if (code !== 0) throw new Error(`encodeCases exited with ${code}: ${stderr}`);
  const answers = stdout.split('\n');
  answers.pop(); // after the last newline
  if (answers.length !== lines.length) throw new Error(`encodeCases answered ${answers.length} of ${lines.length} cases: ${stderr}`);
  return answers;
}
