// The training page: the camera's frames go to the server one at a time (the next only after
// the reply), the reply's landmarks are drawn over the video, the coach's state fills the
// panel, and its lines play through WebAudio. Test hooks: data-testid attributes, and
// window.formcoach (played audio, cue latencies, frame latencies).
import { drawSkeleton } from "./skeleton.js";
import { Microphone, Voice } from "./voice.js";

const $ = (id) => document.getElementById(id);
const root = $("train");
const video = $("camera"), canvas = $("skeleton"), overlay = $("overlay");
const fc = (window.formcoach = { played: [], cues: [], frames: [], log: [], state: null, ended: null });
const KEEP_FRAMES = 20000, KEEP_CAPTURES = 1800;

let ws = null, voice = null, mic = null;
let edges = [], lingerMs = 1500;
let inflight = false, inflightSince = 0, frameId = 0;
const captures = new Map(); // frame id -> capture time (ms, performance.now clock)
const sentAt = new Map(); // frame id -> when its JPEG went out
const lines = new Map(); // line -> {rep_end_frame, started}
let grades = null, gradesUntil = 0, restTimer = null;
const grab = new OffscreenCanvas(640, 480);
// The words the coach acts on in each phase (session/coach.py, session/training.py): a
// question takes yes or no; a set its commands (yes goes on after a pause); the wait before a
// set and a rest take stop, skip and pause (which holds them until yes). Every other button is
// disabled, so no press goes unheard.
const ACTS = {
  asking: ["yes", "no"],
  get_in_frame: ["pause", "yes", "stop", "skip"],
  countdown: ["pause", "yes", "stop", "skip"],
  training: ["pause", "yes", "stop", "skip", "how many"],
  resting: ["pause", "yes", "stop", "skip"],
};
const ENDED = ["finished", "stopped", "declined"];

function socketUrl() {
  const q = new URLSearchParams();
  for (const key of ["profile", "exercise", "reps", "sets"]) {
    if (root.dataset[key]) q.set(key, root.dataset[key]);
  }
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}/ws/train?${q}`;
}

function log(text) {
  fc.log.push(text);
  const li = document.createElement("li");
  li.textContent = text;
  $("log").prepend(li);
}

async function openCamera() {
  const video = { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 } };
  const audio = { channelCount: 1, echoCancellation: true, noiseSuppression: true };
  try {
    return await navigator.mediaDevices.getUserMedia({ video, audio });
  } catch (e) {
    log("no microphone: answer with the buttons");
    return await navigator.mediaDevices.getUserMedia({ video });
  }
}

async function start() {
  $("start").disabled = true;
  $("status").textContent = "starting";
  try {
    const stream = await openCamera();
    video.srcObject = stream;
    await video.play();
    voice = new Voice((m) => sendJson(m), onLineStarted);
    await voice.unlock(); // this click is the user gesture that allows audio
    if (stream.getAudioTracks().length) {
      mic = new Microphone(voice.ctx, stream, (b) => ws && ws.readyState === 1 && ws.send(b));
      await mic.start();
    }
  } catch (e) {
    $("status").textContent = "error";
    log(`the camera could not be opened: ${e.message}`);
    $("start").disabled = false;
    return;
  }
  $("start").hidden = true;
  connect();
  video.requestVideoFrameCallback(onVideoFrame);
}

// A new session on the open camera and microphone: one socket, one coach.
function connect() {
  fc.ended = null;
  enableAnswers("starting");
  const sock = (ws = new WebSocket(socketUrl()));
  sock.binaryType = "arraybuffer";
  sock.onmessage = (e) => { if (sock === ws) onMessage(JSON.parse(e.data)); };
  sock.onclose = () => {
    if (sock === ws && !fc.ended) { $("status").textContent = "disconnected"; ended("disconnected"); }
  };
}

// Which answers can act now (none once the session is over; typing while it runs: a name
// when logging in, or any answer).
function enableAnswers(phase) {
  const acts = fc.ended ? [] : ACTS[phase] || [];
  for (const button of document.querySelectorAll("[data-answer]")) {
    button.disabled = !acts.includes(button.dataset.answer);
  }
  for (const el of $("typed").elements) el.disabled = !!fc.ended || ENDED.includes(phase);
}

// The session is over: nothing can answer any more; offer a new one.
function ended(status) {
  fc.ended = status;
  enableAnswers(null);
  if (mic) mic.listen(false);
  $("hearing").hidden = true;
  $("start-again").hidden = false;
}

function startAgain() {
  $("start-again").hidden = true;
  if (ws) { ws.onclose = null; ws.close(); }
  if (voice) voice.hush();
  lines.clear();
  grades = null;
  showState.lastFailed = undefined;
  showRest(null);
  $("rep-count").textContent = "0";
  $("set-progress").textContent = "not started";
  $("cue").textContent = "";
  $("status").textContent = "starting";
  log("starting again");
  connect();
}

function sendJson(message) {
  if (ws && ws.readyState === 1) ws.send(JSON.stringify(message));
}

function onVideoFrame(now, meta) {
  if (inflight && now - inflightSince > 2000) inflight = false; // a lost reply never blocks
  if (!inflight && ws && ws.readyState === 1) sendFrame(meta.captureTime ?? now, now);
  video.requestVideoFrameCallback(onVideoFrame);
}

async function sendFrame(captureMs, calledMs) {
  inflight = true;
  inflightSince = performance.now();
  const id = ++frameId;
  const w = video.videoWidth, h = video.videoHeight;
  if (grab.width !== w || grab.height !== h) { grab.width = w; grab.height = h; }
  grab.getContext("2d").drawImage(video, 0, 0, w, h);
  const jpeg = await grab.convertToBlob({ type: "image/jpeg", quality: 0.7 });
  const header = new DataView(new ArrayBuffer(13));
  header.setUint8(0, 1);
  header.setUint32(1, id, true);
  header.setFloat64(5, captureMs, true);
  captures.set(id, captureMs);
  if (captures.size > KEEP_CAPTURES) captures.delete(captures.keys().next().value);
  ws.send(new Blob([header, jpeg])); // no copy through JavaScript
  sentAt.set(id, [calledMs, performance.now()]);
  if (sentAt.size > 64) sentAt.delete(sentAt.keys().next().value);
}

function onFrame(msg) {
  if (!msg.skipped) {
    const now = performance.now();
    drawSkeleton(canvas, video, msg.pose, edges, now < gradesUntil ? grades : null);
    const drawn = performance.now();
    const capture = captures.get(msg.id);
    if (capture !== undefined) {
      fc.frames.push({
        id: msg.id, capture_ms: capture, called_ms: (sentAt.get(msg.id) || [])[0],
        sent_ms: (sentAt.get(msg.id) || [])[1], reply_ms: now,
        drawn_ms: drawn, seen: !!msg.pose,
      });
      if (fc.frames.length > KEEP_FRAMES) fc.frames.splice(0, fc.frames.length - KEEP_FRAMES);
    }
  }
  if (msg.id === frameId) inflight = false;
}

function onLineStarted(msg) {
  const line = lines.get(msg.line) || {};
  line.started = msg.started;
  lines.set(msg.line, line);
  noteCue(msg.line);
}

// A rep's line: how long after the camera saw the rep end did its audio start?
function noteCue(index) {
  const line = lines.get(index);
  if (!line || line.started === undefined || line.rep_end_frame === undefined || line.noted) return;
  const capture = captures.get(line.rep_end_frame);
  if (capture === undefined) return;
  line.noted = true;
  fc.cues.push({
    line: index, rep_end_frame: line.rep_end_frame, latency_ms: line.started - capture,
    told_ms: line.told - capture,
  });
}

function onMessage(msg) {
  switch (msg.type) {
    case "frame": return onFrame(msg);
    case "state": return showState(msg);
    case "say": {
      const line = lines.get(msg.line) || {};
      line.told = performance.now();
      if (msg.rep_end_frame !== undefined) line.rep_end_frame = msg.rep_end_frame;
      lines.set(msg.line, line);
      $("cue").textContent = msg.text;
      return voice.say(msg);
    }
    case "cue": {
      const line = lines.get(msg.line) || {};
      line.rep_end_frame = msg.rep_end_frame;
      lines.set(msg.line, line);
      return noteCue(msg.line);
    }
    case "hush": return voice.hush();
    case "listen": {
      if (mic) mic.listen(msg.on);
      $("hearing").hidden = !msg.on;
      return;
    }
    case "hello": edges = msg.edges; lingerMs = msg.linger_s * 1000; return;
    case "log": return log(msg.text);
    case "error": {
      $("status").textContent = "error";
      ended("error");
      const sep = msg.hint && /^[A-Z]/.test(msg.hint) ? ". " : ": ";
      return log(`${msg.message}${msg.hint ? sep + msg.hint : ""}`);
    }
    case "end":
      $("status").textContent = msg.status;
      return ended(msg.status);
  }
}

function showState(s) {
  fc.state = s;
  if (fc.ended) return; // a late state after the end changes nothing
  $("status").textContent = s.phase;
  enableAnswers(s.phase);
  $("rep-count").textContent = String(s.count);
  if (s.set_number) {
    const done = s.target_hold_s !== null
      ? `${Math.round(s.held_s)} of ${Math.round(s.target_hold_s)} s held`
      : `${s.count} of ${s.target_reps} reps`;
    $("set-progress").textContent = `${s.exercise} · set ${s.set_number} of ${s.sets} · ${done}`;
  }
  const rep = s.last_rep;
  if (rep && rep.passed === false && rep.number !== showState.lastFailed) {
    showState.lastFailed = rep.number;
    grades = rep.grades;
    gradesUntil = performance.now() + lingerMs * 2;
  }
  overlay.hidden = !["countdown", "get_in_frame"].includes(s.phase);
  overlay.textContent = s.phase === "countdown" ? String(s.countdown) : "Get in frame";
  showRest(s.phase === "resting" ? s.rest_s : null);
}

function showRest(seconds) {
  if (seconds === null) {
    if (restTimer) clearInterval(restTimer);
    restTimer = null;
    $("rest").textContent = "";
    return;
  }
  if (restTimer) return;
  const end = performance.now() + seconds * 1000;
  const tick = () => { $("rest").textContent = `rest ${Math.max(0, Math.ceil((end - performance.now()) / 1000))} s`; };
  tick();
  restTimer = setInterval(tick, 250);
}

$("start").addEventListener("click", start);
$("start-again").addEventListener("click", startAgain);
for (const button of document.querySelectorAll("[data-answer]")) {
  button.addEventListener("click", () => sendJson({ type: "answer", text: button.dataset.answer }));
}
$("typed").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = $("typed-text").value.trim();
  if (text) sendJson({ type: "answer", text });
  $("typed-text").value = "";
});
