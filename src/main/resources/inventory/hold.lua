-- Holds units for every line of a cart, or none (no partial holds, no negative stock); idempotent per hold id.
-- KEYS: ready, avail, expiry, hold. ARGV: prefix, hold id, ttl ms, canonical lines, then sku, units per line.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'NOT_READY'}
end
local hold = KEYS[4]
local state = redis.call('HGET', hold, 'state')
if state then
  if redis.call('HGET', hold, 'lines') ~= ARGV[4] then
    return {'MISMATCH'}
  end
  return {'EXISTS', state, redis.call('HGET', hold, 'exp'), redis.call('HGET', hold, 'parts')}
end
local short, parts = {}, {}
for i = 5, #ARGV, 2 do
  local sku, want = ARGV[i], tonumber(ARGV[i + 1])
  local fields = redis.call('HGETALL', sku_key(sku))
  local onhand, held, free, total = {}, {}, {}, 0
  for j = 1, #fields, 2 do
    local tag, bucket = string.sub(fields[j], 1, 2), string.sub(fields[j], 3)
    if tag == 'o|' then
      onhand[bucket] = tonumber(fields[j + 1])
    elseif tag == 'h|' then
      held[bucket] = tonumber(fields[j + 1])
    end
  end
  for bucket, units in pairs(onhand) do
    local spare = units - (held[bucket] or 0)
    total = total + spare
    if spare > 0 then
      free[#free + 1] = {bucket, spare}
    end
  end
  if total < want then
    short[#short + 1] = sku
  else
    -- fullest bucket first: successive holds spread their commits over a hot SKU's shards
    table.sort(free, function(a, b)
      if a[2] == b[2] then
        return a[1] < b[1]
      end
      return a[2] > b[2]
    end)
    for _, f in ipairs(free) do
      if want == 0 then
        break
      end
      local take = math.min(want, f[2])
      parts[#parts + 1] = {sku, f[1], take}
      want = want - take
    end
  end
end
if #short > 0 then
  return {'OUT_OF_STOCK', unpack(short)}
end
local exp = now_ms() + tonumber(ARGV[3])
for _, p in ipairs(parts) do
  redis.call('HINCRBY', sku_key(p[1]), 'h|' .. p[2], p[3])
end
local changed = {}
for i = 5, #ARGV, 2 do
  if refresh_avail(KEYS[2], ARGV[i]) then
    changed[#changed + 1] = ARGV[i]
  end
end
local encoded = cjson.encode(parts)
redis.call('HSET', hold, 'state', 'held', 'exp', exp, 'lines', ARGV[4], 'parts', encoded)
redis.call('ZADD', KEYS[3], exp, ARGV[2])
return {'HELD', tostring(exp), encoded, unpack(changed)}
