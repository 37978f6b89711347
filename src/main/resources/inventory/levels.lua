-- A SKU's per-bucket fields (o|, v|, h|), for the admin view and for spreading a new stock level over shards.
-- KEYS: ready. ARGV: prefix, sku.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'NOT_READY'}
end
local out = {'OK'}
for _, v in ipairs(redis.call('HGETALL', sku_key(ARGV[2]))) do
  out[#out + 1] = v
end
return out
