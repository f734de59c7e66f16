-- Stripe PaymentIntents and refunds. Stripe takes form-encoded bodies; every write carries the
-- caller's Idempotency-Key so a retried call returns the first result instead of charging twice.
local http_errors = require("http-errors")
local form = require("form-urlencoded")

-- Stripe puts the useful part of a failure in `error.code` (e.g. `card_declined`); it becomes
-- the error code so callers can tell a declined card from an outage.
local function check(res)
  if res.status < 400 then return res end
  local err = res.json and res.json.error or {}
  if res.status == 402 or err.type == "card_error" then
    error({ code = err.code or "card_error", message = err.message or "the card was declined" }, 0)
  end
  return http_errors.check(res, "Stripe", err.message)
end

-- Headers of every write: a form body and the caller's idempotency key.
local function write_headers(idempotency_key)
  return {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Idempotency-Key"] = idempotency_key,
  }
end

local M = {}

function M.create_payment_intent(ctx, input)
  local currency = input.currency or ctx.config.currency or "usd"
  local res = check(ctx.device.http("stripe", {
    method = "POST",
    path = "/v1/payment_intents",
    headers = write_headers(input.idempotencyKey),
    body = form.encode({
      amount = input.amount,
      currency = currency,
      customer = input.customer,
      capture_method = ctx.config.captureMethod,
      statement_descriptor = ctx.config.statementDescriptor,
      ["automatic_payment_methods[enabled]"] = "true",
      ["metadata[order_id]"] = input.orderId,
    }),
    timeoutMs = 15000,
  }))
  local intent = res.json
  ctx.integration.containersSet("payments", intent.id, {
    paymentIntentId = intent.id,
    amount = intent.amount,
    currency = intent.currency,
    status = intent.status,
    orderId = input.orderId,
    refundedAmount = 0,
  })
  ctx.log.info("payment intent created", { paymentIntentId = intent.id, amount = intent.amount, run = ctx.run.id })
  return { paymentIntentId = intent.id, status = intent.status, clientSecret = intent.client_secret }
end

function M.get_payment_intent(ctx, input)
  local res = check(ctx.device.http("stripe", {
    method = "GET",
    path = "/v1/payment_intents/{id}",
    params = { id = input.paymentIntentId },
  }))
  local intent = res.json
  return {
    paymentIntentId = intent.id,
    status = intent.status,
    amount = intent.amount,
    amountReceived = intent.amount_received,
    currency = intent.currency,
  }
end

function M.refund(ctx, input)
  local record = ctx.integration.containersGet("payments", input.paymentIntentId)
  if record and input.amount and record.refundedAmount + input.amount > record.amount then
    error({
      code = "amount_too_large",
      message = string.format("refund of %d exceeds the %d left on %s", input.amount, record.amount - record.refundedAmount, input.paymentIntentId),
    })
  end
  local res = check(ctx.device.http("stripe", {
    method = "POST",
    path = "/v1/refunds",
    headers = write_headers(input.idempotencyKey),
    body = form.encode({ payment_intent = input.paymentIntentId, amount = input.amount, reason = input.reason }),
    timeoutMs = 15000,
  }))
  local refund = res.json
  if record then
    record.refundedAmount = record.refundedAmount + refund.amount
    ctx.integration.containersSet("payments", input.paymentIntentId, record)
  else
    ctx.log.warn("refund for a payment this install did not create", { paymentIntentId = input.paymentIntentId })
  end
  ctx.emit("payment.refunded", { paymentIntentId = input.paymentIntentId, refundId = refund.id, amount = refund.amount })
  return { refundId = refund.id, status = refund.status, amount = refund.amount }
end

return M
