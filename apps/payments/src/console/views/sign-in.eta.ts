/** The only page without a session. Its form posts back the double-submit token of its cookie. */
export const SIGN_IN = `<% layout('@layout') %>
<section class="panel sign-in">
  <h1><%= it.t.signIn %></h1>
  <% if (it.error) { %><p class="error" role="alert" id="error"><%= it.error %></p><% } %>
  <form class="stack" method="post" action="/console/sign-in">
    <input type="hidden" name="_csrf" value="<%= it.signInToken %>">
    <label for="username"><%= it.t.username %></label>
    <input id="username" name="username" type="text" autocomplete="username" value="<%= it.username %>" required autofocus>
    <label for="password"><%= it.t.password %></label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    <div class="actions"><button class="primary" type="submit" id="sign-in"><%= it.t.signIn %></button></div>
  </form>
</section>
`;
