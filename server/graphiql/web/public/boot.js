// Loaded before GraphiQL's own scripts: if one of them (or a stylesheet)
// fails to load, or GraphiQL throws before it has started, the page says so
// instead of showing "Loading GraphiQL…" forever.
(function () {
  'use strict';
  var started = false;
  window.mosaicGraphiQL = {
    started: function () { started = true; },
    fail: show,
  };

  function show(what) {
    console.error('GraphiQL: ' + what);
    var box = document.getElementById('mosaic-graphiql-error');
    if (!box) {
      box = document.createElement('div');
      box.id = 'mosaic-graphiql-error';
      box.setAttribute('role', 'alert');
      var s = box.style;
      s.position = 'fixed'; s.top = '0'; s.left = '0'; s.right = '0'; s.zIndex = '1000';
      s.padding = '.75rem 1rem'; s.background = '#fde2e1'; s.color = '#7f1d1d';
      s.font = '14px/1.4 system-ui, sans-serif'; s.borderBottom = '1px solid #f5a3a0';
      var title = document.createElement('strong');
      title.textContent = started ? 'GraphiQL hit an error. ' : 'GraphiQL could not start. ';
      box.append(title, document.createElement('span'));
      var hint = document.createElement('p');
      hint.style.margin = '.35rem 0 0';
      hint.textContent = 'Its files are served by this Mosaic server under /graphiql/ (nothing comes from the internet). ' +
        'Reload the page; if this persists, the server answered with an error or the binary was built without them ' +
        '(run `make graphiql` and rebuild). The API itself is at /graphql.';
      box.append(hint);
      (document.body || document.documentElement).prepend(box);
    }
    box.querySelector('span').textContent = what;
  }

  // Capture phase: load errors of <script> and <link> do not bubble.
  window.addEventListener('error', function (e) {
    var t = e.target;
    if (t && (t.tagName === 'SCRIPT' || t.tagName === 'LINK')) {
      show('could not load ' + (t.src || t.href) + '.');
    } else if (!started) {
      show(String(e.message || e.error || 'a script failed'));
    }
  }, true);
  window.addEventListener('unhandledrejection', function (e) {
    if (!started) show(String(e.reason && e.reason.message || e.reason));
  });
  // A lazily loaded part of the bundle that fails to load.
  window.addEventListener('vite:preloadError', function (e) {
    show('could not load ' + String(e.payload && e.payload.message || 'a part of GraphiQL') + '.');
  });
})();
