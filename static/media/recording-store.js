// The agent's recordings kept in this browser, in IndexedDB: it stores Blobs as they are, from the
// page itself, in every desktop browser (OPFS needs a worker for its synchronous writes, and
// Safari lacks its streaming writer). One record per part: { chatId, segment, blob, durationMs,
// createdAt, uploaded }.

const DB = "parley-recordings";
const STORE = "segments";

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(STORE, { keyPath: ["chatId", "segment"] }).createIndex("chat", "chatId");
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, work) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request?.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** The parts of a chat kept here, in recording order. */
export async function partsOf(chatId) {
  const parts = await run("readonly", (store) => store.index("chat").getAll(chatId));
  return (parts ?? []).sort((a, b) => a.segment - b.segment);
}

export const savePart = (part) => run("readwrite", (store) => store.put(part));

export async function markUploaded(chatId, segment) {
  const part = await run("readonly", (store) => store.get([chatId, segment]));
  if (part) await savePart({ ...part, uploaded: true });
}
