/** Notifications as received, their fields already redacted by the service. */
export const NOTIFICATION_TABLE = `<table class="notifications">
  <thead><tr>
    <th><%= it.t.notifications.receivedAt %></th><th><%= it.t.common.status %></th><th><%= it.t.notifications.resultCode %></th>
    <th><%= it.t.payment.orderId %></th><th><%= it.t.payment.tid %></th><th class="num"><%= it.t.notifications.deliveries %></th>
    <th><%= it.t.notifications.reason %></th><th><%= it.t.notifications.fields %></th>
  </tr></thead>
  <tbody>
  <% for (const n of it.notifications) { %>
    <tr>
      <td><%= it.f.when(n.receivedAt) %></td>
      <td><span class="status status-<%= n.status %>"><%= it.f.status(n.status) %></span></td>
      <td><%= n.resultCode || '—' %></td>
      <td><%= n.orderNo || '—' %></td>
      <td><%= n.tid || '—' %></td>
      <td class="num"><%= n.deliveries %></td>
      <td class="wrap"><%= n.reason || '' %></td>
      <td class="wrap"><pre><%= it.f.json(n.fields) %></pre></td>
    </tr>
  <% } %>
  </tbody>
</table>
`;
