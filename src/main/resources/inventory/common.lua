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

-- Applies on-hand values read from DynamoDB (ARGV from index first: sku, bucket, on hand, version per bucket) when
-- they are newer than what this ledger has: absolute and versioned, so late or repeated updates never regress it.
-- Returns the touched SKUs.
local function apply_stock(first)
  local touched, seen = {}, {}
  for i = first, #ARGV, 4 do
    local key, bucket, version = sku_key(ARGV[i]), ARGV[i + 1], tonumber(ARGV[i + 3])
    local known = tonumber(redis.call('HGET', key, 'v|' .. bucket) or '-1')
    if version > known then
      redis.call('HSET', key, 'o|' .. bucket, ARGV[i + 2], 'v|' .. bucket, ARGV[i + 3])
      if not redis.call('HGET', key, 'h|' .. bucket) then
        redis.call('HSET', key, 'h|' .. bucket, 0)
      end
    end
    if not seen[ARGV[i]] then
      seen[ARGV[i]] = true
      touched[#touched + 1] = ARGV[i]
    end
  end
  return touched
end

