-- Mirrors on-hand values read from DynamoDB (set, restock, a rebuild's second pass).
-- KEYS: ready, avail. ARGV: prefix, then sku, bucket, on hand, version per bucket. Returns SKUs whose availability changed.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'NOT_READY'}
end
local changed = {}
for _, sku in ipairs(apply_stock(2)) do
  if refresh_avail(KEYS[2], sku) then
    changed[#changed + 1] = sku
  end
end
return {'OK', unpack(changed)}
