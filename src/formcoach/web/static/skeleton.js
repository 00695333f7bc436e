// Draws a pose over the camera picture: bones coloured by body part after a failed rep.
const COLORS = { good: "#2da44e", near: "#f0b429", bad: "#e5534b" };
const BONE = "#00c8ff";

// Fit the canvas to the video as displayed (object-fit: contain) and return the mapping.
function fit(canvas, video) {
  const w = canvas.clientWidth, h = canvas.clientHeight;
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
  const vw = video.videoWidth || 4, vh = video.videoHeight || 3;
  const scale = Math.min(w / vw, h / vh);
  return { x0: (w - vw * scale) / 2, y0: (h - vh * scale) / 2, sx: vw * scale, sy: vh * scale };
}

// pose: [[x, y, visibility], ...] as fractions of the frame, or null; edges: [[a, b, part]];
// grades: {part: "good" | "near" | "bad"} or null.
export function drawSkeleton(canvas, video, pose, edges, grades) {
  const ctx = canvas.getContext("2d");
  const m = fit(canvas, video);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (!pose) return;
  const at = (j) => [m.x0 + pose[j][0] * m.sx, m.y0 + pose[j][1] * m.sy];
  const seen = (j) => pose[j] && pose[j][2] > 0.3;
  ctx.lineWidth = Math.max(3, canvas.width / 160);
  ctx.lineCap = "round";
  for (const [a, b, part] of edges) {
    if (!seen(a) || !seen(b)) continue;
    ctx.strokeStyle = (grades && part && COLORS[grades[part]]) || BONE;
    const [ax, ay] = at(a), [bx, by] = at(b);
    ctx.beginPath(); ctx.moveTo(ax, ay); ctx.lineTo(bx, by); ctx.stroke();
  }
  ctx.fillStyle = "#fff";
  for (let j = 0; j < pose.length; j++) {
    if (!seen(j)) continue;
    const [x, y] = at(j);
    ctx.beginPath(); ctx.arc(x, y, ctx.lineWidth, 0, 2 * Math.PI); ctx.fill();
  }
}
