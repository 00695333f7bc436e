// The coach's voice (WAV lines played one after another through WebAudio, once a click has
// unlocked audio) and the page's microphone (PCM sent only while the server listens).
export class Voice {
  constructor(send, onStart) {
    this.send = send; this.onStart = onStart;
    this.ctx = null; this.queue = []; this.playing = null;
  }

  async unlock() {
    this.ctx = new AudioContext();
    await this.ctx.resume();
  }

  // msg: {line, text, url, seconds}
  say(msg) {
    msg.audio = fetch(msg.url).then((r) => r.arrayBuffer()).then((b) => this.ctx.decodeAudioData(b));
    this.queue.push(msg);
    this.next();
  }

  async next() {
    if (this.playing || !this.queue.length) return;
    const msg = (this.playing = this.queue.shift());
    try {
      const buffer = await msg.audio;
      if (this.playing !== msg) return;
      const source = this.ctx.createBufferSource();
      source.buffer = buffer;
      source.connect(this.ctx.destination);
      source.onended = () => this.done(msg, true);
      msg.source = source;
      source.start();
      msg.started = performance.now();
      this.onStart(msg);
    } catch (e) {
      this.done(msg, false);
    }
  }

  done(msg, played) {
    if (msg.finished) return;
    msg.finished = true;
    msg.ended = performance.now();
    window.formcoach.played.push({
      line: msg.line, text: msg.text, started_ms: msg.started ?? null, ended_ms: msg.ended,
      played: played && msg.started !== undefined, seconds: msg.seconds,
    });
    this.send({ type: "played", line: msg.line });
    if (this.playing === msg) this.playing = null;
    this.next();
  }

  hush() {
    for (const msg of this.queue.splice(0)) this.done(msg, false);
    const msg = this.playing;
    if (msg) {
      if (msg.source) msg.source.stop(); else this.done(msg, false);
    }
  }
}

export class Microphone {
  constructor(ctx, stream, sendBinary) {
    this.ctx = ctx; this.stream = stream; this.sendBinary = sendBinary; this.on = false;
  }

  async start() {
    await this.ctx.audioWorklet.addModule("/static/pcm-worklet.js");
    const node = new AudioWorkletNode(this.ctx, "pcm-16k");
    node.port.onmessage = (e) => {
      if (!this.on) return;
      const pcm = e.data;
      const msg = new Uint8Array(1 + pcm.byteLength);
      msg[0] = 2;
      msg.set(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength), 1);
      this.sendBinary(msg);
    };
    this.ctx.createMediaStreamSource(this.stream).connect(node);
  }

  listen(on) { this.on = on; }
}
