-- Token buckets, one per key, decided together (all or nothing).
-- KEYS: the buckets. ARGV[1]: mode, ARGV[2]: cost, then per key: capacity, refill in tokens per second.
--   take  : if every bucket holds `cost` tokens, take them from each; else change nothing
--   peek  : whether every bucket holds at least one token; changes nothing
--   drain : take `cost` from each bucket, down to zero (records failures after the fact)
--   lease : one bucket; first give back ARGV[5] unused tokens of an earlier lease (up to the capacity), then take as
--           many as it holds, up to `cost`, at least one (an instance admits from them without asking again)
-- Returns {1, 0} when allowed, {0, ms} when refused, ms = how long until every bucket could answer yes; a lease that
-- is allowed returns {1, 0, tokens taken}.
-- Time is the server's (TIME), so every instance of the store sees one clock.
if redis.replicate_commands then
  redis.replicate_commands() -- Redis < 5: replicate effects, since TIME is not deterministic
end
local mode = ARGV[1]
local cost = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)

if mode == 'lease' then
  local key = KEYS[1]
  local capacity = tonumber(ARGV[3])
  local per_ms = tonumber(ARGV[4]) / 1000
  local state = redis.call('HMGET', key, 'tokens', 'at')
  local level = tonumber(state[1]) or capacity
  local at = tonumber(state[2]) or now
  level = math.min(capacity, level + math.max(0, now - at) * per_ms + tonumber(ARGV[5]))
  if level < 1 then
    return {0, math.ceil((1 - level) / per_ms)}
  end
  local taken = math.min(cost, math.floor(level))
  redis.call('HSET', key, 'tokens', tostring(level - taken), 'at', tostring(now))
  redis.call('PEXPIRE', key, math.ceil(capacity / per_ms) + 1000)
  return {1, 0, taken}
end

local levels = {}
local wait = 0
for i, key in ipairs(KEYS) do
  local capacity = tonumber(ARGV[1 + 2 * i])
  local per_ms = tonumber(ARGV[2 + 2 * i]) / 1000
  local state = redis.call('HMGET', key, 'tokens', 'at')
  local level = tonumber(state[1]) or capacity
  local at = tonumber(state[2]) or now
  level = math.min(capacity, level + math.max(0, now - at) * per_ms)
  levels[i] = level
  local need = cost
  if mode == 'peek' then
    need = 1
  end
  if mode ~= 'drain' and level < need then
    wait = math.max(wait, math.ceil((need - level) / per_ms))
  end
end
if wait > 0 then
  return {0, wait}
end
if mode == 'peek' then
  return {1, 0}
end
for i, key in ipairs(KEYS) do
  local capacity = tonumber(ARGV[1 + 2 * i])
  local per_ms = tonumber(ARGV[2 + 2 * i]) / 1000
  redis.call('HSET', key, 'tokens', tostring(math.max(0, levels[i] - cost)), 'at', tostring(now))
  -- a bucket that would be full again holds no information: let it go
  redis.call('PEXPIRE', key, math.ceil(capacity / per_ms) + 1000)
end
return {1, 0}
