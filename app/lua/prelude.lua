local ttlx, pin = ...
local function key_lt(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return ta < tb end
  if ta == 'number' or ta == 'string' then return a < b end
  return tostring(a) < tostring(b)
end
function ttlx.inspect(v, max)
  max = max or 4000
  local out, n, seen = {}, 0, {}
  local function put(s) n = n + 1; out[n] = s end
  local function walk(x, depth)
    local t = type(x)
    if t == 'string' then put((string.format('%q', x):gsub('\\\n', '\\n')))
    elseif t ~= 'table' then put(tostring(x))
    elseif seen[x] then put('<cycle>')
    elseif depth > 8 then put('{...}')
    else
      seen[x] = true
      local len, first = rawlen(x), true
      put('{')
      for i = 1, len do
        if not first then put(', ') end
        first = false
        walk(rawget(x, i), depth + 1)
      end
      local keys = {}
      for k in pairs(x) do
        if not (math.type(k) == 'integer' and k >= 1 and k <= len) then keys[#keys + 1] = k end
      end
      table.sort(keys, key_lt)
      for _, k in ipairs(keys) do
        if not first then put(', ') end
        first = false
        if type(k) == 'string' and k:match('^[%a_][%w_]*$') then put(k)
        else put('['); walk(k, depth + 1); put(']') end
        put(' = ')
        walk(rawget(x, k), depth + 1)
      end
      put('}')
      seen[x] = nil
    end
  end
  walk(v, 0)
  local s = table.concat(out)
  if #s > max then s = s:sub(1, max) .. '...' end
  return s
end
function ttlx.tabulate(header, rows)
  local width, right = {}, {}
  local all = {header}
  for _, r in ipairs(rows) do all[#all + 1] = r end
  for ri, r in ipairs(all) do
    for i, c in ipairs(r) do
      local s = tostring(c)
      if #s > (width[i] or 0) then width[i] = #s end
      if ri > 1 and type(c) == 'number' and right[i] == nil then right[i] = true end
      if ri > 1 and type(c) ~= 'number' then right[i] = false end
    end
  end
  local lines = {}
  for ri, r in ipairs(all) do
    local cells = {}
    for i = 1, #width do
      local s = tostring(r[i] == nil and '' or r[i])
      local pad = string.rep(' ', width[i] - #s)
      cells[i] = right[i] and pad .. s or s .. pad
    end
    lines[#lines + 1] = (table.concat(cells, '  '):gsub('%s+$', ''))
    if ri == 1 then
      local rule = {}
      for i = 1, #width do rule[i] = string.rep('-', width[i]) end
      lines[#lines + 1] = table.concat(rule, '  ')
    end
  end
  return table.concat(lines, '\n')
end
function ttlx.lesson(lesson)
  if type(lesson) ~= 'table' then error('ttlx.lesson: expects a table {title, intro, setup, steps}', 2) end
  if type(lesson.title) ~= 'string' then error('ttlx.lesson: title must be a string', 2) end
  local steps = lesson.steps
  if type(steps) ~= 'table' or #steps == 0 then error('ttlx.lesson: steps must be a list of steps', 2) end
  for i, s in ipairs(steps) do
    if type(s) ~= 'table' or type(s.title) ~= 'string' or type(s.text) ~= 'string' then
      error(string.format('ttlx.lesson: steps[%d] needs a title and a text (strings)', i), 2)
    end
    if s.run ~= nil and type(s.run) ~= 'function' then
      error(string.format('ttlx.lesson: steps[%d].run must be a function', i), 2)
    end
  end
  local nk, pk, lk = lesson.next_key or '>', lesson.prev_key or '<', lesson.leave_key or 'X'
  local cur, left = 0, false
  local function show(i)
    local s = steps[i]
    print(string.format('== %s: step %d/%d: %s ==', lesson.title, i, #steps, s.title))
    for line in (s.text .. '\n'):gmatch('(.-)\n') do print(line) end
    pin(lesson.title, i, #steps, s.title, s.text, nk, pk, lk)
    if s.run then s.run() end
  end
  local function go(i, absolute)
    if left and not absolute then i = cur end -- back in: the step where it was left
    left = false
    cur = math.max(1, math.min(#steps, i))
    show(cur)
  end
  local function leave()
    left = true
    pin(nil)
    print(string.format('left the lesson "%s" (%s or :lesson resumes step %d)', lesson.title, nk, cur))
  end
  if lesson.setup then lesson.setup() end
  if lesson.intro then print(lesson.intro) end
  if ttlx.headless then
    for i = 1, #steps do print() show(i) end
    return
  end
  ttlx.bind(nk, function() go(cur + 1) end, lesson.title .. ': next step')
  ttlx.bind(pk, function() go(cur - 1) end, lesson.title .. ': previous step')
  ttlx.bind(lk, leave, lesson.title .. ': leave the lesson (' .. nk .. ' comes back)')
  ttlx.command('lesson', function(n)
    if n == 'off' then leave() elseif tonumber(n) then go(tonumber(n), true) else go(cur) end
  end, lesson.title .. ': show step N (no N: the current one; off: leave)')
  print(string.format('(%s: next step, %s: previous, %s: leave, :lesson N: step N)', nk, pk, lk))
  go(1)
end
