// Assembles the model's answers from room events (docs/protocol.md, "Generation events"). Pure:
// no DOM, so it is unit-tested on Node (client-js/test/apps/answers.test.mjs).
//
// Per generation id it keeps the tokens by `seq`, so a token seen twice (a replay overlapping
// what was already shown) is counted once; `generation.restarted` clears the tokens of the
// earlier attempt; the first terminal event (done, cancelled, error) wins, as the producer's
// documentation asks. `generation.message` (the whole answer, written after the terminal event)
// gives the text only when none of the tokens came (no longer retained, or a compact history).

/** States an answer passes through; `restarted` is a flag beside the state. */
export const AnswerState = Object.freeze({
  WAITING: 'waiting', STREAMING: 'streaming', DONE: 'done', CANCELLED: 'cancelled', ERROR: 'error',
});

const TERMINAL = { 'generation.done': AnswerState.DONE, 'generation.cancelled': AnswerState.CANCELLED, 'generation.error': AnswerState.ERROR };

export class Answer {
  constructor(promptOffset) {
    this.promptOffset = promptOffset;
    this.generationId = null;
    this.model = null;
    this.state = AnswerState.WAITING;
    this.restarted = false;
    this.tokens = [];
    this.tokenCount = 0;
    this.duplicates = 0;
    this.error = null;
    this.finishReason = null;
    this.message = null; // the text of generation.message
  }

  get final() {
    return this.state === AnswerState.DONE || this.state === AnswerState.CANCELLED || this.state === AnswerState.ERROR;
  }

  /** The text so far: the tokens in seq order (a missing seq contributes nothing), else the message's. */
  text() {
    if (this.tokenCount === 0 && this.message !== null) return this.message;
    let s = '';
    for (let i = 0; i < this.tokens.length; i++) if (this.tokens[i] !== undefined) s += this.tokens[i];
    return s;
  }
}

/** The prompt offset a generation id names (`topic:partition:offset`), or NaN. */
export function promptOffsetOf(generationId) {
  const last = String(generationId).split(':').pop();
  return /^\d+$/.test(last) ? Number(last) : NaN;
}

export class Answers {
  constructor() {
    this.byPrompt = new Map();
    this.byGeneration = new Map();
  }

  clear() {
    this.byPrompt.clear();
    this.byGeneration.clear();
  }

  /** Forgets an answer (no longer shown); a later event of it starts a new one. */
  forget(answer) {
    if (this.byPrompt.get(answer.promptOffset) === answer) this.byPrompt.delete(answer.promptOffset);
    if (answer.generationId !== null) this.byGeneration.delete(answer.generationId);
  }

  /** The answer to the prompt at `offset`, created in state waiting. */
  forPrompt(offset) {
    let a = this.byPrompt.get(offset);
    if (!a) {
      a = new Answer(offset);
      this.byPrompt.set(offset, a);
    }
    return a;
  }

  /**
   * Applies one generation event. Returns the answer it changed, or null when the event does not
   * have the documented shape (the caller shows it raw).
   */
  apply(type, data) {
    if (!data || typeof data !== 'object' || typeof data.generationId !== 'string') return null;
    let a = this.byGeneration.get(data.generationId);
    if (!a) {
      const offset = Number.isInteger(data.promptOffset) ? data.promptOffset : promptOffsetOf(data.generationId);
      a = Number.isFinite(offset) ? this.forPrompt(offset) : new Answer(null);
      a.generationId = data.generationId;
      this.byGeneration.set(data.generationId, a);
    }
    switch (type) {
      case 'generation.started':
        if (typeof data.model === 'string') a.model = data.model;
        if (!a.final && a.state === AnswerState.WAITING) a.state = AnswerState.STREAMING;
        return a;
      case 'generation.restarted':
        if (a.final) return a;
        a.tokens = [];
        a.tokenCount = 0;
        a.restarted = true;
        a.state = AnswerState.STREAMING;
        return a;
      case 'token': {
        if (!Number.isInteger(data.seq) || data.seq < 0 || typeof data.text !== 'string') return null;
        if (a.final) return a;
        if (a.tokens[data.seq] !== undefined) {
          a.duplicates++;
          return a;
        }
        a.tokens[data.seq] = data.text;
        a.tokenCount++;
        a.state = AnswerState.STREAMING;
        return a;
      }
      case 'generation.message': {
        if (typeof data.text !== 'string') return null;
        a.message = data.text;
        const terminal = TERMINAL[`generation.${data.status}`];
        if (terminal && !a.final) a.state = terminal;
        return a;
      }
      default: {
        const terminal = TERMINAL[type];
        if (!terminal) return null;
        if (a.final) return a; // the first terminal event counts
        a.state = terminal;
        if (terminal === AnswerState.ERROR) {
          a.error = { code: String(data.code ?? 'error'), message: String(data.message ?? '') };
        }
        if (terminal === AnswerState.DONE && typeof data.finishReason === 'string') a.finishReason = data.finishReason;
        return a;
      }
    }
  }
}
