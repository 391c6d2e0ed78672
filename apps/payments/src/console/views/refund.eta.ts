/**
 * The refund's confirmation: amount and reason, then one POST. The nonce names this one refund:
 * the same form sent twice refunds once.
 */
export const REFUND = `<% layout('@layout') %>
<% const p = it.payment; %>
<h1><%= it.t.refund.title %></h1>
<section class="panel">
  <dl class="facts">
    <dt><%= it.t.payment.orderId %></dt><dd><%= p.orderId %></dd>
    <dt><%= it.t.payment.status %></dt><dd><span class="status status-<%= p.status %>"><%= it.f.status(p.status) %></span></dd>
    <dt><%= it.t.payment.amount %></dt><dd><%= it.f.won(p.amount) %></dd>
    <dt><%= it.t.payment.cancellable %></dt><dd><%= it.f.won(p.cancellableAmount) %></dd>
  </dl>
</section>
<section class="panel">
  <p><%= it.t.refund.question %></p>
  <% if (it.errors.length > 0) { %>
  <div class="error" role="alert" id="errors">
    <% for (const e of it.errors) { %><p class="field-error" data-field="<%= e.field %>"><%= e.field %>: <%= e.message %></p><% } %>
  </div>
  <% } %>
  <form class="stack" method="post" action="/console/payments/<%= p.id %>/refund">
    <input type="hidden" name="_csrf" value="<%= it.csrf %>">
    <input type="hidden" name="nonce" value="<%= it.nonce %>">
    <label for="amount"><%= it.t.refund.amount %></label>
    <input id="amount" name="amount" type="number" min="1" max="<%= p.cancellableAmount %>" step="1" value="<%= it.amount %>" required>
    <label for="reason"><%= it.t.refund.reason %></label>
    <input id="reason" name="reason" type="text" value="<%= it.reason %>" maxlength="100" required>
    <div class="actions">
      <button class="danger" type="submit" id="confirm-refund"><%= it.t.refund.confirm %></button>
      <a href="/console/payments/<%= p.id %>"><%= it.t.common.cancel %></a>
    </div>
  </form>
</section>
`;
