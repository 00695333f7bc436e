// Enrol from a camera snapshot: the frame is sent once, read in memory, never kept.
const $ = (id) => document.getElementById(id);
let stream = null;

$("snap-camera").addEventListener("click", async () => {
  stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
  const video = $("snap-video");
  video.srcObject = stream;
  video.hidden = false;
  $("snap-take").hidden = false;
});

$("snap-take").addEventListener("click", async () => {
  const name = $("enrol-name").value.trim();
  if (!name) { $("enrol-name").reportValidity(); return; }
  const video = $("snap-video");
  const canvas = new OffscreenCanvas(video.videoWidth, video.videoHeight);
  canvas.getContext("2d").drawImage(video, 0, 0);
  const blob = await canvas.convertToBlob({ type: "image/jpeg", quality: 0.9 });
  const form = new FormData();
  form.set("name", name);
  form.set("source", "camera");
  form.set("photo", blob, "snapshot.jpg");
  for (const track of stream.getTracks()) track.stop();
  const reply = await fetch("/profiles/enrol", { method: "POST", body: form });
  document.open(); document.write(await reply.text()); document.close();
  history.replaceState(null, "", reply.url);
});
