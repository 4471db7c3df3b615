// Folds a websocket stream the way the pages do (live.js applyEvent), for
// client/jsfold_test.go, which compares the result with the Go client's
// Mirror (the engine's own queue.State) and with the server. Reads the
// stream's messages as a JSON array on stdin; writes the folded snapshot.
import { applyEvent } from "../web/js/live.js";
import { KIND, SIDE_KINDS } from "../web/js/wire.js";

let input = "";
for await (const chunk of process.stdin) input += chunk;
let snap = null;
for (const msg of JSON.parse(input)) {
  if (msg.type === KIND.SNAPSHOT) snap = msg.snapshot;
  else if (!SIDE_KINDS.has(msg.type) && msg.type !== KIND.NOOP) applyEvent(snap, msg);
}
process.stdout.write(JSON.stringify(snap));
