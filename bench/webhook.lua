-- wrk script: each request uses the next pre-signed delivery (unique webhook-id), so
-- every accepted request is a new durable spool entry, never a duplicate.
local deliveries = {}
local body = os.getenv("BENCH_BODY")
local next_index = 1
local stride = 1

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter)
  thread:set("threads", tonumber(os.getenv("BENCH_THREADS") or "2"))
end

function init(args)
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    local id, ts, sig = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)")
    deliveries[#deliveries + 1] = { id, ts, sig }
  end
  next_index = offset
  stride = threads
end

function request()
  local d = deliveries[next_index]
  next_index = next_index + stride
  if d == nil then
    d = { "exhausted", "0", "v1,x" }
  end
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["x-webhook-topic"] = "order.shipped",
    ["webhook-id"] = d[1],
    ["webhook-timestamp"] = d[2],
    ["webhook-signature"] = d[3],
  }, body)
end
