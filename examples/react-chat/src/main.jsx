// A chat room where an LLM answers token by token: messages with useRoom and usePublish, answers
// with useGeneration. Open it as index.html?edge=http://localhost:8080&room=chat:lobby&name=ann
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { RoomcastProvider, useConnectionState, useRoom, usePublish, useGeneration } from 'roomcast-client/react';

const params = new URLSearchParams(location.search);
const EDGE = params.get('edge') || location.origin;
const ROOM = params.get('room') || 'chat:lobby';
const NAME = params.get('name') || 'guest';

function Status() {
  const { state, retryInMs } = useConnectionState();
  return <p className="status" data-state={state}>{state}{retryInMs !== null ? ` (retry in ${retryInMs} ms)` : ''}</p>;
}

function Messages() {
  // useRoom and useGeneration of one room share one subscription; the first one mounted sets `from`
  const { events, live, gaps } = useRoom(ROOM, { from: { last: 500 } });
  const messages = events.filter((e) => e.type === 'message');
  return (
    <>
      {gaps.map((g, i) => <p key={i} className="gap">missed {g.count > 0 ? `${g.count} events` : `history (${g.reason})`}</p>)}
      <ul id="messages">
        {messages.map((e) => <li key={e.offset}>{e.data.name}: {e.data.text}</li>)}
      </ul>
      {!live && <p className="status">loading history…</p>}
    </>
  );
}

function Answers() {
  const { generations } = useGeneration(ROOM);
  return (
    <div id="answers">
      {generations.map((g) => (
        <div key={g.key} className="answer" data-status={g.status}>
          <b>{g.prompt}</b>
          <p className="text">{g.text}</p>
          <span className="status">{g.status}</span>
          {(g.status === 'waiting' || g.status === 'streaming') && <button onClick={() => g.cancel()}>stop</button>}
        </div>
      ))}
    </div>
  );
}

function Composer() {
  const publish = usePublish();
  const [text, setText] = useState('');
  const [error, setError] = useState(null);
  const send = (asPrompt) => {
    const value = text.trim();
    if (!value) return;
    setText('');
    const sent = asPrompt
      ? publish(ROOM, { text: value, model: 'sim' }, { type: 'prompt' })
      : publish(ROOM, { name: NAME, text: value });
    sent.then(() => setError(null), (e) => setError(e.code));
  };
  return (
    <form onSubmit={(e) => { e.preventDefault(); send(false); }}>
      <input id="text" value={text} onChange={(e) => setText(e.target.value)} placeholder="say something" />
      <button id="send" type="submit">send</button>
      <button id="ask" type="button" onClick={() => send(true)}>ask the model</button>
      {error && <span className="gap"> not sent: {error}</span>}
    </form>
  );
}

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <RoomcastProvider url={EDGE}>
      <h1>{ROOM}</h1>
      <Status />
      <Messages />
      <Answers />
      <Composer />
    </RoomcastProvider>
  </StrictMode>,
);
