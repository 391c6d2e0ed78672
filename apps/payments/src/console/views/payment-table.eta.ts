/** A list of payments (of every tenant), each linking to its detail page; shared by the attention queue and search. */
export const PAYMENT_TABLE = `<table class="payments">
  <thead><tr>
    <th><%= it.t.payment.orderId %></th><th><%= it.t.common.tenant %></th><th><%= it.t.payment.status %></th><th class="num"><%= it.t.payment.amount %></th>
    <th class="num"><%= it.t.payment.cancelled %></th><th><%= it.t.payment.customer %></th><th><%= it.t.payment.tid %></th>
    <th><%= it.t.payment.createdAt %></th><th><%= it.t.payment.attention %></th>
  </tr></thead>
  <tbody>
  <% for (const p of it.payments) { %>
    <tr data-payment-id="<%= p.id %>">
      <td><a href="/console/payments/<%= p.id %>"><%= p.orderId %></a></td>
      <td class="tenant"><%= p.tenantId %></td>
      <td><span class="status status-<%= p.status %>"><%= it.f.status(p.status) %></span></td>
      <td class="num"><%= it.f.won(p.amount) %></td>
      <td class="num"><%= it.f.won(p.cancelledAmount) %></td>
      <td><%= p.customerId %></td>
      <td><%= p.tid || '—' %></td>
      <td><%= it.f.when(p.createdAt) %></td>
      <td class="wrap"><%= p.attentionReason || '' %></td>
    </tr>
  <% } %>
  </tbody>
</table>
`;
