-- wrk script: each request carries the next token of the file named after "--" (one token a line), in turn.
-- Threads start at different places so they do not send the same token at the same moment.
local threads = 0
local tokens = {}
local next_index = 0

function setup(thread)
  thread:set("offset", threads * 500)
  threads = threads + 1
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then
      tokens[#tokens + 1] = line
    end
  end
  next_index = (offset or 0) % #tokens
end

function request()
  next_index = next_index % #tokens + 1
  return wrk.format("GET", "/me", { ["Authorization"] = "Bearer " .. tokens[next_index] })
end
