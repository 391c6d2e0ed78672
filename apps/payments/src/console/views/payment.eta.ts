/** A payment with its cancels and what the gateway answered (redacted); links to the two actions. */
export const PAYMENT = `<% layout('@layout') %>
<% const p = it.payment; %>
<h1><%= it.t.payment.title %> <span class="muted"><%= p.orderId %></span></h1>
<section class="panel">
  <dl class="facts">
    <dt><%= it.t.payment.status %></dt><dd><span class="status status-<%= p.status %>" id="payment-status" data-status="<%= p.status %>"><%= it.f.status(p.status) %></span></dd>
    <dt><%= it.t.payment.orderId %></dt><dd id="order-id"><%= p.orderId %></dd>
    <dt><%= it.t.common.tenant %></dt><dd id="tenant"><%= p.tenantId %></dd>
    <dt><%= it.t.payment.amount %></dt><dd><%= it.f.won(p.amount) %></dd>
    <dt><%= it.t.payment.tid %></dt><dd id="tid"><%= p.tid || '—' %></dd>
    <dt><%= it.t.payment.cancelled %></dt><dd id="cancelled-amount" data-amount="<%= p.cancelledAmount %>"><%= it.f.won(p.cancelledAmount) %></dd>
    <dt><%= it.t.payment.cancellable %></dt><dd id="cancellable-amount" data-amount="<%= p.cancellableAmount %>"><%= it.f.won(p.cancellableAmount) %></dd>
    <dt><%= it.t.payment.customer %></dt><dd><%= p.customerId %></dd>
    <dt><%= it.t.payment.goods %></dt><dd><%= p.goodsName %></dd>
    <dt><%= it.t.payment.method %></dt><dd><%= p.payMethod %></dd>
    <dt><%= it.t.payment.createdAt %></dt><dd><%= it.f.when(p.createdAt) %></dd>
    <% if (p.needsAttention) { %>
    <dt><%= it.t.payment.attention %></dt><dd class="wrap"><%= p.attentionReason %></dd>
    <% } %>
  </dl>
  <div class="actions">
    <% if (p.cancellableAmount > 0) { %><a class="button" id="refund" href="/console/payments/<%= p.id %>/refund"><%= it.t.payment.refund %></a><% } %>
    <a class="button" id="resync" href="/console/payments/<%= p.id %>/resync"><%= it.t.payment.resync %></a>
  </div>
</section>

<section class="panel">
  <h2><%= it.t.payment.cancels %></h2>
  <% if (p.cancellations.length === 0) { %>
    <p class="muted"><%= it.t.payment.noCancels %></p>
  <% } else { %>
  <table id="cancels">
    <thead><tr><th><%= it.t.payment.tid %></th><th><%= it.t.payment.status %></th><th class="num"><%= it.t.payment.amount %></th><th><%= it.t.payment.reason %></th><th><%= it.t.payment.source %></th><th><%= it.t.common.when %></th><th><%= it.t.payment.failure %></th></tr></thead>
    <tbody>
    <% for (const c of p.cancellations) { %>
      <tr class="cancel" data-status="<%= c.status %>" data-amount="<%= c.amount %>">
        <td><%= c.tid || '—' %></td>
        <td><span class="status status-<%= c.status %>"><%= it.f.status(c.status) %></span></td>
        <td class="num"><%= it.f.won(c.amount) %></td>
        <td class="wrap"><%= c.reason %></td>
        <td><%= c.source %></td>
        <td><%= it.f.when(c.cancelledAt) %></td>
        <td class="wrap"><%= c.failure ? c.failure.code + ' ' + (c.failure.message || '') : '' %></td>
      </tr>
    <% } %>
    </tbody>
  </table>
  <% } %>
</section>

<section class="panel">
  <h2><%= it.t.payment.gateway %></h2>
  <pre id="gateway-answer"><%= it.f.json(it.gatewayAnswer) %></pre>
</section>

<section class="panel">
  <h2><%= it.t.payment.notifications %></h2>
  <% if (it.notifications.length === 0) { %>
    <p class="muted"><%= it.t.payment.noNotifications %></p>
  <% } else { %>
    <%~ include('@notification-table', { notifications: it.notifications, t: it.t, f: it.f }) %>
  <% } %>
</section>
<p class="muted"><%= it.t.common.time %></p>
`;
