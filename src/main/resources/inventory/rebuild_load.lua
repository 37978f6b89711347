-- Loads one chunk of a rebuild from DynamoDB, only while this rebuilder still holds the lock (a flush drops it).
-- KEYS: lock, avail, expiry. ARGV: prefix, token, lock ms, JSON {skus: [{sku, buckets: [[bucket, on hand, version,
-- held]]}], holds: [{id, state, exp, due, lines, parts}]}.
if redis.call('GET', KEYS[1]) ~= ARGV[2] then
  return {'LOST'}
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
local data = cjson.decode(ARGV[4])
for _, s in ipairs(data.skus) do
  local key = sku_key(s.sku)
  for _, b in ipairs(s.buckets) do
    redis.call('HSET', key, 'o|' .. b[1], b[2], 'v|' .. b[1], b[3], 'h|' .. b[1], b[4])
  end
  refresh_avail(KEYS[2], s.sku)
end
for _, h in ipairs(data.holds) do
  redis.call('HSET', hold_key(h.id), 'state', h.state, 'exp', h.exp, 'lines', h.lines, 'parts', h.parts)
  redis.call('ZADD', KEYS[3], h.due, h.id)
end
return {'OK'}
