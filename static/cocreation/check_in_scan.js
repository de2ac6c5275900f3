/* The check-in page's "Scan a code" button: opens the phone's camera (qr-scanner, vendored
   in static/vendor/qr-scanner), and sends what a QR code holds to the page's search, which
   answers with the person's name and group and one "Check in" button (or why not).
   Without a camera, or without JavaScript, the search box does the same by name or code. */
(function () {
  "use strict";
  var section = document.getElementById("seat-find");
  if (!section || !window.QrScanner || !window.htmx) return;
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  var start = section.querySelector("[data-scan-start]");
  var stop = section.querySelector("[data-scan-stop]");
  var video = section.querySelector("[data-scan-video]");
  var status = section.querySelector("[data-scan-status]");
  var scanner = null;
  var last = "";

  function stopCamera() {
    if (scanner) scanner.stop();
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
    status.textContent = "";
  }

  function found(result) {
    var text = (result && result.data) || "";
    if (!text || text === last) return;
    last = text;
    stopCamera();
    window.htmx.ajax("GET", section.dataset.findUrl + "?q=" + encodeURIComponent(text), {
      target: "#check-in-answer",
      swap: "innerHTML"
    }).then(function () {
      var button = document.querySelector("#check-in-answer button");
      if (button) button.focus();
    });
  }

  start.hidden = false;
  start.addEventListener("click", function () {
    last = "";
    if (!scanner) {
      scanner = new window.QrScanner(video, found, {
        returnDetailedScanResult: true,
        preferredCamera: "environment",
        highlightScanRegion: false
      });
    }
    video.hidden = false;
    start.hidden = true;
    stop.hidden = false;
    status.textContent = section.dataset.scanning;
    scanner.start().catch(function () {
      stopCamera();
      status.textContent = section.dataset.noCamera;
    });
  });
  stop.addEventListener("click", stopCamera);
  // A second person: scanning again after an answer
  document.body.addEventListener("htmx:afterSwap", function () { last = ""; });
}());
