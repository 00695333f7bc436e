// The microphone as 16 kHz mono int16 PCM: each 16 kHz sample averages the input samples of
// its interval (a box filter against aliasing), posted in blocks of 40 ms.
class Pcm16k extends AudioWorkletProcessor {
  constructor() {
    super();
    this.step = sampleRate / 16000;
    this.pos = 0; this.sum = 0; this.n = 0;
    this.block = new Int16Array(640); this.k = 0;
  }
  process(inputs) {
    const x = inputs[0] && inputs[0][0];
    if (!x) return true;
    for (let i = 0; i < x.length; i++) {
      this.sum += x[i]; this.n += 1; this.pos += 1;
      if (this.pos >= this.step) {
        this.pos -= this.step;
        const v = Math.round((this.sum / this.n) * 32767);
        this.sum = 0; this.n = 0;
        this.block[this.k++] = Math.max(-32768, Math.min(32767, v));
        if (this.k === this.block.length) { this.port.postMessage(this.block.slice()); this.k = 0; }
      }
    }
    return true;
  }
}
registerProcessor("pcm-16k", Pcm16k);
