/** The gateway's notifications as received, newest first, by status. */
export const NOTIFICATIONS = `<% layout('@layout') %>
<h1><%= it.t.notifications.title %></h1>
<section class="panel">
  <form class="inline" method="get" action="/console/notifications">
    <label for="status"><%= it.t.common.status %></label>
    <select id="status" name="status">
      <option value=""><%= it.t.subscriptions.all %></option>
      <% for (const s of it.statuses) { %><option value="<%= s %>"<%~ s === it.status ? ' selected' : '' %>><%= it.f.status(s) %></option><% } %>
    </select>
    <button class="primary" type="submit"><%= it.t.subscriptions.submit %></button>
  </form>
</section>
<section class="panel">
  <% if (it.notifications.length === 0) { %>
    <p class="muted"><%= it.t.notifications.none %></p>
  <% } else { %>
    <%~ include('@notification-table', { notifications: it.notifications, t: it.t, f: it.f }) %>
  <% } %>
</section>
`;
