// Lua scripts for the relay's presence in Redis: each runs atomically, so two nodes sweeping at once
// never both announce one departure. Members of the held set and of a node's session set are
// `<meetingKey> <address> <sid>` (none of the three has a space).

/**
 * KEYS: room, held, heldOf, node sessions, records. ARGV: address, `<node> <sid>`, member, record (JSON).
 * Lists the session with its record, cancels its held departure; 1 if it was listed or held already.
 */
export const ADD = `
local back = 0
if redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) == 0 then back = 1 end
redis.call('HSET', KEYS[5], ARGV[1], ARGV[4])
local held = redis.call('HGET', KEYS[3], ARGV[1])
if held then
  back = 1
  redis.call('ZREM', KEYS[2], held)
  redis.call('HDEL', KEYS[3], ARGV[1])
end
redis.call('SADD', KEYS[4], ARGV[3])
return back`

/** KEYS: room, node sessions, records. ARGV: address, `<node> <sid>`, member. Unlists the session if it is still the listed socket. */
export const REMOVE = `
redis.call('SREM', KEYS[2], ARGV[3])
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HDEL', KEYS[3], ARGV[1])
  return redis.call('HDEL', KEYS[1], ARGV[1])
end
return 0`

/** KEYS: held, heldOf. ARGV: member, address, dueAt. */
export const HOLD = `
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
return 1`

/**
 * KEYS: held, heldOf. ARGV: now, limit, room key prefix. Takes the departures due by `now` off the held
 * set and returns those whose address is listed nowhere (it did not come back).
 */
export const DUE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, member in ipairs(due) do
  redis.call('ZREM', KEYS[1], member)
  local meeting, address = string.match(member, '^(%S+) (%S+) %S+$')
  if meeting then
    if redis.call('HGET', KEYS[2], address) == member then redis.call('HDEL', KEYS[2], address) end
    if redis.call('HEXISTS', ARGV[3] .. meeting, address) == 0 then table.insert(out, member) end
  end
end
return out`

/**
 * KEYS: nodes, the dead node's sessions, held, heldOf. ARGV: node id, dueAt, room key prefix, record
 * key prefix. Claims a
 * dead node once (the node set's SREM answers 1 to one caller only) and holds each of its sessions
 * still listed under it; sessions that registered elsewhere meanwhile are left alone.
 */
export const CLAIM_DEAD_NODE = `
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return 0 end
local members = redis.call('SMEMBERS', KEYS[2])
for _, member in ipairs(members) do
  local meeting, address, sid = string.match(member, '^(%S+) (%S+) (%S+)$')
  if meeting then
    local room = ARGV[3] .. meeting
    if redis.call('HGET', room, address) == ARGV[1] .. ' ' .. sid then
      redis.call('HDEL', room, address)
      redis.call('HDEL', ARGV[4] .. meeting, address)
      redis.call('ZADD', KEYS[3], ARGV[2], member)
      redis.call('HSET', KEYS[4], address, member)
    end
  end
end
redis.call('DEL', KEYS[2])
return #members`
