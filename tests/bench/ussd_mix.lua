-- A realistic mix for the USSD endpoint: first screens, menus, typed
-- answers and a few completed complaints, across 500 sessions.
local texts = { "", "", "1", "2", "2*3322182002", "3", "3*ADU-1", "4", "9",
	"2*3322182002*Jalan rusak di RT 3", "1*3322182002", "4*3322182002" }
local n = 0
local secret = os.getenv("USSD_SECRET") or "bench-rahasia-ussd"
-- each round of the benchmark starts its own 500 sessions
local round = os.getenv("USSD_ROUND") or "1"

request = function()
	n = n + 1
	local s = n % 500
	local text = texts[(n % #texts) + 1]
	local body = "sessionId=bench-" .. round .. "-" .. s .. "&serviceCode=%2A123%2A45%23" ..
		"&phoneNumber=%2B62812" .. string.format("%07d", s) ..
		"&networkCode=51010&text=" .. text:gsub("%*", "%%2A"):gsub(" ", "+")
	return wrk.format("POST", "/ussd?key=" .. secret,
		{ ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
