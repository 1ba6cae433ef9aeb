// The parent side of aeolian's postMessage API: send commands into the frame, show its status.
// Commands: {type:'aeolian:mute'}, {type:'aeolian:unmute'}, {type:'aeolian:volume', volume: 0..1},
// {type:'aeolian:station', station: '<id>' | null}. The frame answers {type:'aeolian:status', ...}
// on every change and {type:'aeolian:error', error} for a command it refused.
(function () {
  'use strict';
  var own = new URLSearchParams(location.search);
  // ?page=<origin> embeds aeolian from another host; by default the one serving this example.
  var pageOrigin = new URL(own.get('page') || location.origin).origin;
  var src = new URL('/', pageOrigin);
  src.searchParams.set('embed', '');
  src.searchParams.set('parent', own.get('parent') || location.origin);
  ['stations', 'preset', 'source'].forEach(function (name) {
    if (own.get(name)) src.searchParams.set(name, own.get(name));
  });
  var frame = document.getElementById('aeolian');
  frame.src = src.href;

  function send(message) {
    frame.contentWindow.postMessage(message, pageOrigin);
  }
  document.querySelectorAll('[data-command]').forEach(function (button) {
    button.addEventListener('click', function () {
      send({ type: 'aeolian:' + button.getAttribute('data-command') });
    });
  });
  document.getElementById('volume').addEventListener('input', function (event) {
    send({ type: 'aeolian:volume', volume: Number(event.target.value) });
  });
  var select = document.getElementById('station');
  select.addEventListener('change', function () {
    send({ type: 'aeolian:station', station: select.value || null });
  });

  var statusView = document.getElementById('status');
  window.addEventListener('message', function (event) {
    if (event.source !== frame.contentWindow || event.origin !== pageOrigin) return;
    var message = event.data;
    if (!message || typeof message.type !== 'string') return;
    if (message.type === 'aeolian:error') {
      statusView.textContent = 'refused: ' + message.error + '\n\n' + statusView.textContent;
      return;
    }
    if (message.type !== 'aeolian:status') return;
    statusView.textContent = JSON.stringify(message, null, 2);
    // Keep the station list in step with the frame's (textContent only: names come from outside).
    var known = Array.prototype.map.call(select.options, function (option) { return option.value; });
    message.stations.forEach(function (station) {
      if (known.indexOf(station.id) >= 0) return;
      var option = document.createElement('option');
      option.value = station.id;
      option.textContent = station.name;
      select.appendChild(option);
    });
    select.value = message.station || '';
    document.getElementById('volume').value = String(message.volume);
  });
})();
