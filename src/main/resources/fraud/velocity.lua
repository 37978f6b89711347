-- The fraud scorer's velocity counters: sliding windows in sorted sets (member = one attempt or one card, score = its
-- time in ms), read and written in one call per score and one per failed login.
-- ARGV[1]: mode, ARGV[2]: this attempt's unique member, ARGV[3]: attempt window ms, ARGV[4]: failed-login window ms,
--   ARGV[5]: most entries a window keeps (a flood saturates its count instead of growing the set without bound)
-- mode 'observe': records the attempt and returns what is known about its subjects
--   KEYS[1..4]: attempts by account, ip, card, device; ARGV[6..9]: '1' when that subject is known
--   KEYS[5]: the account's cards (member = card fingerprint); ARGV[10]: the fingerprint or ''
--   KEYS[6], KEYS[7]: failed logins by ip and by the login's account (read only)
--   KEYS[8]: the account's payment amounts (hash n, sum); ARGV[11]: this amount or '', ARGV[12]: history TTL ms
--   returns {account, ip, card, device, cards, failed_ip, failed_account, history_n, history_sum}
-- mode 'fail': records a failed login; KEYS[1], KEYS[2]: failed logins by ip and by account; returns {}
-- Time is the server's (TIME), so every instance of the store sees one clock.
if redis.replicate_commands then
  redis.replicate_commands() -- Redis < 5: replicate effects, since TIME is not deterministic
end
local mode = ARGV[1]
local member = ARGV[2]
local window = tonumber(ARGV[3])
local failed_window = tonumber(ARGV[4])
local most = tonumber(ARGV[5])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)

local function record(key, entry, span)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - span)
  redis.call('ZADD', key, now, entry)
  local size = redis.call('ZCARD', key)
  if size > most then
    redis.call('ZREMRANGEBYRANK', key, 0, size - most - 1)
    size = most
  end
  redis.call('PEXPIRE', key, span)
  return size
end

local function count(key, span)
  return redis.call('ZCOUNT', key, now - span, '+inf')
end

if mode == 'fail' then
  record(KEYS[1], member, failed_window)
  record(KEYS[2], member, failed_window)
  return {}
end

local counts = {}
for i = 1, 4 do
  if ARGV[5 + i] == '1' then
    counts[i] = record(KEYS[i], member, window)
  else
    counts[i] = 0
  end
end
local card = ARGV[10]
if card ~= '' and ARGV[6] == '1' then
  counts[5] = record(KEYS[5], card, window)
else
  counts[5] = 0
end
counts[6] = count(KEYS[6], failed_window)
counts[7] = count(KEYS[7], failed_window)
local history = redis.call('HMGET', KEYS[8], 'n', 'sum')
counts[8] = tonumber(history[1]) or 0
counts[9] = history[2] or '0'
local amount = ARGV[11]
if amount ~= '' and ARGV[6] == '1' then
  redis.call('HINCRBY', KEYS[8], 'n', 1)
  redis.call('HINCRBYFLOAT', KEYS[8], 'sum', amount)
  redis.call('PEXPIRE', KEYS[8], tonumber(ARGV[12]))
end
return counts
