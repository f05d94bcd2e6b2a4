// A partner page may call the host API at any time, even before widget.js has loaded:
// calls are queued and replayed.
window.DiReturn = window.DiReturn || function () { (window.DiReturn.q = window.DiReturn.q || []).push(arguments); };
document.getElementById('open-chat').addEventListener('click', () => window.DiReturn('open'));
