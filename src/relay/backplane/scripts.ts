// The Lua scripts that make numbering atomic: Redis runs each one alone, so the order of the stream
// is the order of seq, and a batch retried after a lost reply is added once.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface LuaScript {
  source: string;
  sha: string;
}

function lua(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/**
 * KEYS: epoch, seq counter, stream, this batch's marker. ARGV: epoch, stream max length, marker TTL
 * in seconds, then station, chime, v, t, touch ref ('' for a strike) for each strike or visitor's
 * touch; a touch's entry has a fifth field, `touch`. Returns the number of strikes added (0 for
 * a batch already added), or an EPOCH error if Redis holds another numbering.
 */
export const PUBLISH_SCRIPT = lua(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return redis.error_reply('EPOCH numbering changed') end
if not redis.call('SET', KEYS[4], '1', 'NX', 'EX', ARGV[3]) then return 0 end
local added = 0
for i = 4, #ARGV, 5 do
  local seq = redis.call('INCR', KEYS[2])
  if ARGV[i + 4] == '' then
    redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], seq .. '-0',
      'station', ARGV[i], 'chime', ARGV[i + 1], 'v', ARGV[i + 2], 't', ARGV[i + 3])
  else
    redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], seq .. '-0',
      'station', ARGV[i], 'chime', ARGV[i + 1], 'v', ARGV[i + 2], 't', ARGV[i + 3], 'touch', ARGV[i + 4])
  end
  added = added + 1
end
return added
`);

/**
 * KEYS: epoch, seq counter. ARGV: this relay's epoch (or a fresh candidate), the latest seq it has.
 * Sets the epoch if Redis has none (first relay, or Redis came back empty) and never lets the counter
 * fall behind what relays have already delivered. Returns the epoch Redis holds.
 */
export const SEED_SCRIPT = lua(`
local epoch = redis.call('GET', KEYS[1])
if not epoch then
  redis.call('SET', KEYS[1], ARGV[1])
  epoch = ARGV[1]
end
if epoch == ARGV[1] and tonumber(redis.call('GET', KEYS[2]) or '0') < tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], ARGV[2])
end
return epoch
`);

/** EVALSHA, loading the script on NOSCRIPT (a fresh or restarted Redis). */
export async function runScript(redis: Redis, script: LuaScript, keys: string[], args: (string | number)[]): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error as Error).message.startsWith('NOSCRIPT')) throw error;
    return redis.eval(script.source, keys.length, ...keys, ...args);
  }
}
