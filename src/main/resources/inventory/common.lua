-- Prepended to every inventory script. ARGV[1] is the key prefix ("inv{1}:"): every key, declared or derived
-- here (per SKU, per hold), carries the same hash tag, so a script only touches keys of its own cluster slot.
-- A SKU hash holds, per bucket (warehouse#shard): "o|<bucket>" units on hand (mirrored from DynamoDB),
-- "v|<bucket>" the DynamoDB item version that value came from, "h|<bucket>" units held by live holds.
local PREFIX = ARGV[1]

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function sku_key(sku)
  return PREFIX .. 'sku:' .. sku
end

local function hold_key(id)
  return PREFIX .. 'hold:' .. id
end

-- Recomputes the SKU's available units (on hand minus held over all buckets); true when the value changed.
local function refresh_avail(avail_key, sku)
  local fields = redis.call('HGETALL', sku_key(sku))
  local total = 0
  for i = 1, #fields, 2 do
    local tag = string.sub(fields[i], 1, 2)
    if tag == 'o|' then
      total = total + tonumber(fields[i + 1])
    elseif tag == 'h|' then
      total = total - tonumber(fields[i + 1])
    end
  end
  local before = tonumber(redis.call('HGET', avail_key, sku))
  redis.call('HSET', avail_key, sku, total)
  return before ~= total
end

-- Gives a hold's parts ({sku, bucket, units}) back to their buckets; returns the SKUs whose availability changed.
local function return_parts(avail_key, parts)
  local skus, seen = {}, {}
  for _, p in ipairs(parts) do
    redis.call('HINCRBY', sku_key(p[1]), 'h|' .. p[2], -p[3])
    if not seen[p[1]] then
      seen[p[1]] = true
      skus[#skus + 1] = p[1]
    end
  end
  local changed = {}
  for _, sku in ipairs(skus) do
    if refresh_avail(avail_key, sku) then
      changed[#changed + 1] = sku
    end
  end
  return changed
end

-- Commit finishes are mirrored in version order per bucket (every DynamoDB write of a bucket adds 1 to its version).
-- A finish brings DynamoDB's value of a bucket at a version that covers the hold's take there. Applying it over a gap
-- (a version in between, say another hold's take, not mirrored yet) would take that other take's units off on hand
-- while its hold still counts them as held: a unit counted twice, refused to a buyer while it is free. So a hold's
-- units leave "h|<bucket>" exactly when on hand stops counting them; a finish that finds a gap waits in
-- "p|<bucket>|<version>" = "<on hand>|<units>|<since ms>" ("w|<bucket>" counts those waiting) until the versions before
-- it arrive, a newer value read from DynamoDB covers it, or the sweeper skips the gap after the roll-forward time
-- (a write whose mirror was lost). The buckets with waiting finishes are in the "gaps" sorted set, by since.
local GAPS = PREFIX .. 'gaps'

local function version_string(n)
  return string.format('%d', n)
end

-- Takes a hold's units off a bucket's held count (Redis refuses "-0" as an increment: nothing to do then).
local function drop_held(key, bucket, units)
  if units ~= 0 then
    redis.call('HINCRBY', key, 'h|' .. bucket, -units)
  end
end

local function set_on_hand(key, bucket, on_hand, version)
  redis.call('HSET', key, 'o|' .. bucket, on_hand, 'v|' .. bucket, version_string(version))
  if not redis.call('HGET', key, 'h|' .. bucket) then
    redis.call('HSET', key, 'h|' .. bucket, 0)
  end
end

local function forget_waiting(key, sku, bucket, field)
  redis.call('HDEL', key, field)
  if redis.call('HINCRBY', key, 'w|' .. bucket, -1) <= 0 then
    redis.call('HDEL', key, 'w|' .. bucket)
    redis.call('ZREM', GAPS, sku .. '\n' .. bucket)
  end
end

-- The finishes of one bucket waiting for a gap: {version, on hand, units, field, since ms}, lowest version first.
local function waiting_of(key, bucket)
  local out = {}
  if not redis.call('HGET', key, 'w|' .. bucket) then
    return out
  end
  local head = 'p|' .. bucket .. '|'
  local fields = redis.call('HGETALL', key)
  for i = 1, #fields, 2 do
    if string.sub(fields[i], 1, #head) == head then
      local on_hand, units, since = string.match(fields[i + 1], '^(-?%d+)|(%d+)|(%d+)$')
      out[#out + 1] = {tonumber(string.sub(fields[i], #head + 1)), tonumber(on_hand), tonumber(units), fields[i],
        tonumber(since)}
    end
  end
  table.sort(out, function(a, b)
    return a[1] < b[1]
  end)
  return out
end

-- Applies the waiting finishes that follow the bucket's mirrored version without a gap.
local function drain_waiting(key, sku, bucket)
  if not redis.call('HGET', key, 'w|' .. bucket) then
    return
  end
  local known = tonumber(redis.call('HGET', key, 'v|' .. bucket))
  while true do
    local field = 'p|' .. bucket .. '|' .. version_string(known + 1)
    local waiting = redis.call('HGET', key, field)
    if not waiting then
      return
    end
    local on_hand, units = string.match(waiting, '^(-?%d+)|(%d+)|')
    known = known + 1
    set_on_hand(key, bucket, on_hand, known)
    drop_held(key, bucket, tonumber(units))
    forget_waiting(key, sku, bucket, field)
  end
end

-- Mirrors a value DynamoDB had at `version` (read from it, or written by a set or restock) when it is newer than the
-- mirrored one: the waiting finishes it covers are applied with it, then those right after it. True when applied.
local function apply_value(sku, bucket, on_hand, version)
  local key = sku_key(sku)
  local known = tonumber(redis.call('HGET', key, 'v|' .. bucket) or '-1')
  if version <= known then
    return false
  end
  set_on_hand(key, bucket, on_hand, version)
  for _, w in ipairs(waiting_of(key, bucket)) do
    if w[1] <= version then
      drop_held(key, bucket, w[3])
      forget_waiting(key, sku, bucket, w[4])
    end
  end
  drain_waiting(key, sku, bucket)
  return true
end

-- Mirrors one part of a commit's finish: `on_hand` is DynamoDB's value at `version`, which covers the hold's take in
-- this bucket; `units` are the hold's units held there (0 when a retried finish finds them dropped already).
local function mirror_finish(sku, bucket, on_hand, version, units, now)
  local key = sku_key(sku)
  local known = tonumber(redis.call('HGET', key, 'v|' .. bucket) or '-1')
  if version <= known then
    drop_held(key, bucket, units)
  elseif known < 0 or version == known + 1 then
    set_on_hand(key, bucket, on_hand, version)
    drop_held(key, bucket, units)
    drain_waiting(key, sku, bucket)
  else
    -- one version's value is the same whoever brings it (a hold's own take, or another attempt's read of the bucket):
    -- finishes of one version share the entry, adding their units (a hold brings its units once: then it is committed)
    local field = 'p|' .. bucket .. '|' .. version_string(version)
    local waiting = redis.call('HGET', key, field)
    if waiting then
      local kept, since = string.match(waiting, '^(-?%d+)|%d+|(%d+)$')
      local before = tonumber(string.match(waiting, '^-?%d+|(%d+)|'))
      redis.call('HSET', key, field, kept .. '|' .. (before + units) .. '|' .. since)
    else
      redis.call('HSET', key, field, on_hand .. '|' .. units .. '|' .. now)
      redis.call('HINCRBY', key, 'w|' .. bucket, 1)
      redis.call('ZADD', GAPS, 'NX', now, sku .. '\n' .. bucket)
    end
  end
end

-- Skips a bucket's gap once its oldest waiting finish arrived before `before` (ms): the newest waiting value is applied
-- as read (it covers them all). True when the bucket's values changed.
local function skip_gap(sku, bucket, before)
  local key = sku_key(sku)
  local waiting = waiting_of(key, bucket)
  if #waiting == 0 then
    redis.call('ZREM', GAPS, sku .. '\n' .. bucket)
    return false
  end
  local oldest = waiting[1][5]
  for _, w in ipairs(waiting) do
    oldest = math.min(oldest, w[5])
  end
  if oldest > before then
    redis.call('ZADD', GAPS, 'XX', oldest, sku .. '\n' .. bucket)
    return false
  end
  local newest = waiting[#waiting]
  return apply_value(sku, bucket, newest[2], newest[1])
end

-- Applies on-hand values read from DynamoDB (ARGV from index first: sku, bucket, on hand, version per bucket) when
-- they are newer than what this ledger has: absolute and versioned, so late or repeated updates never regress it.
-- Returns the touched SKUs.
local function apply_stock(first)
  local touched, seen = {}, {}
  for i = first, #ARGV, 4 do
    apply_value(ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3]))
    if not seen[ARGV[i]] then
      seen[ARGV[i]] = true
      touched[#touched + 1] = ARGV[i]
    end
  end
  return touched
end
