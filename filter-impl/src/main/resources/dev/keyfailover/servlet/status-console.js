// The status page's admin console (behaviour.md §14): the admin token is kept for this tab only
// (sessionStorage) and sent as Authorization: Bearer to the admin API. Everything shown is the
// server's escaped page (fetched again and swapped in) or set as text; no admin API answer is
// ever read as HTML.
(function () {
  'use strict';
  var TOKEN = 'keyfailover.adminToken';
  var busy = false;

  function status() { return document.getElementById('status'); }
  function element(id) { return document.getElementById(id); }
  function token() { return sessionStorage.getItem(TOKEN); }

  function say(text, failed) {
    var message = element('console-message');
    message.textContent = text;
    message.className = failed ? 'failed' : '';
  }

  function headers(extra) {
    var all = Object.assign({}, extra || {});
    if (token()) {
      all.Authorization = 'Bearer ' + token();
    }
    return all;
  }

  function keysUrl(route, tail) {
    var base = status().dataset.adminPath.replace(/\/+$/, '');
    return new URL(base + '/keys' + tail + '?route=' + encodeURIComponent(route), location.href).toString();
  }

  // The page again, with the token: the server escapes it as it did the first time.
  async function refresh() {
    var response = await fetch(location.pathname + location.search, {
      headers: headers({ Accept: 'text/html' }), cache: 'no-store', credentials: 'same-origin'
    });
    var page = new DOMParser().parseFromString(await response.text(), 'text/html');
    var fresh = page.getElementById('status');
    if (token() && (!fresh || fresh.dataset.mayAct !== 'true')) {
      sessionStorage.removeItem(TOKEN);
      say('This token may not act (' + response.status + '); it was forgotten.', true);
    }
    if (fresh) {
      status().replaceWith(document.adoptNode(fresh));
    }
    decorate();
  }

  function decorate() {
    var root = status();
    var offered = !!root.dataset.adminPath;
    var mayAct = offered && root.dataset.mayAct === 'true';
    element('console').hidden = !offered && root.dataset.readable === 'true';
    element('login').hidden = mayAct;
    element('actions').hidden = !mayAct;
    if (!mayAct) {
      return;
    }
    var routes = element('add-route');
    var chosen = routes.value;
    routes.replaceChildren();
    root.querySelectorAll('table[data-keys-api]').forEach(function (table) {
      var option = document.createElement('option');
      option.value = option.textContent = table.dataset.provider;
      routes.appendChild(option);
      var heading = document.createElement('th');
      heading.textContent = 'actions';
      table.tHead.rows[0].appendChild(heading);
      table.querySelectorAll('tbody tr[data-fingerprint]').forEach(function (row) {
        var cell = row.insertCell();
        cell.className = 'actions';
        ['disable', 'enable', 'test', 'reset', 'remove'].forEach(function (verb) {
          var button = document.createElement('button');
          button.type = 'button';
          button.textContent = verb;
          button.dataset.action = verb;
          button.addEventListener('click', function () {
            act(table.dataset.provider, row.dataset.fingerprint, row.dataset.hint, verb);
          });
          cell.appendChild(button);
        });
      });
    });
    if (chosen) {
      routes.value = chosen;
    }
  }

  async function send(method, url, body) {
    busy = true;
    try {
      var init = { method: method, headers: headers(), cache: 'no-store', credentials: 'same-origin' };
      if (body !== undefined) {
        init.headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
      var response = await fetch(url, init);
      var answer = await response.json().catch(function () { return {}; });
      return { ok: response.ok, status: response.status, answer: answer };
    } finally {
      busy = false;
    }
  }

  function failure(result) {
    return (result.answer.error && result.answer.error.message) || ('the admin API answered ' + result.status);
  }

  async function act(route, fingerprint, hint, verb) {
    var result = await send(verb === 'remove' ? 'DELETE' : 'POST',
      keysUrl(route, '/' + fingerprint + (verb === 'remove' ? '' : '/' + verb)));
    var what = verb + ' of ' + hint + ' (' + fingerprint + ') on ' + route + ': ';
    if (!result.ok) {
      say(what + failure(result), true);
    } else if (verb === 'test') {
      say(what + 'upstream answered ' + result.answer.status);
    } else {
      say(what + 'done' + (result.answer.changed === false ? ' (no change)' : ''));
    }
    await refresh();
  }

  async function add() {
    var route = element('add-route').value;
    var key = element('add-key').value.trim();
    if (!route || !key) {
      say('Choose a route and enter a key.', true);
      return;
    }
    var label = element('add-label').value.trim();
    var result = await send('POST', keysUrl(route, ''), { keys: [label ? { key: key, label: label } : { key: key }] });
    if (result.ok) {
      element('add-key').value = '';
      element('add-label').value = '';
      say('add on ' + route + ': ' + result.answer.added.length + ' added, ' + result.answer.duplicates.length
        + ' already there' + (result.answer.persisted ? ', written to the keys file'
          : result.answer.shared ? ', kept by the cluster until all of it restarts' : ', until restart'));
    } else {
      say('add on ' + route + ': ' + failure(result), true);
    }
    await refresh();
  }

  element('use-token').addEventListener('click', function () {
    var entered = element('admin-token').value.trim();
    element('admin-token').value = '';
    if (entered) {
      sessionStorage.setItem(TOKEN, entered);
      say('');
      refresh();
    }
  });
  element('forget-token').addEventListener('click', function () {
    sessionStorage.removeItem(TOKEN);
    say('The token was forgotten.');
    refresh();
  });
  element('add').addEventListener('click', add);

  if (token()) {
    refresh();
  } else {
    decorate();
  }
  setInterval(function () {
    if (!busy && !document.hidden) {
      refresh().catch(function () { say('The status could not be read; retrying.', true); });
    }
  }, 1000 * Number(status().dataset.refreshSeconds || 5));
}());
