'use strict'
// Local DynamoDB for dev and tests, started by io.webstore.dev.DevServices (src/test/java).
//
//   node dynalite-server.js [--path <dataDir>]
//
// Listens on 127.0.0.1 on a free port and prints `DYNALITE_PORT <port>` as one stdout line.
// Without --path the tables live in memory. It exits when its stdin reaches EOF or its parent
// process goes away: the JVM holds the stdin pipe, so even a `kill -9` of the JVM ends it.

const fs = require('fs')
const path = require('path')
const dynalite = require('dynalite')

const EXIT_IN_USE = 3
const FORCED_EXIT_MS = 2000
const PARENT_POLL_MS = 1000

function parseArgs (argv) {
  const args = {}
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--path' && i + 1 < argv.length) args.path = path.resolve(argv[++i])
    else fail(2, `unknown argument ${argv[i]} (usage: node dynalite-server.js [--path <dataDir>])`)
  }
  return args
}

function fail (code, message) {
  console.error(`DYNALITE_ERROR ${message}`)
  process.exit(code)
}

const HAS_PROC = fs.existsSync('/proc/self/stat')

function isAlive (pid) {
  if (HAS_PROC) {
    // A zombie has exited but still answers kill(pid, 0); where no init reaps it, it stays one
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
      return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z'
    } catch (err) {
      return false
    }
  }
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return err.code === 'EPERM' // exists, owned by someone else
  }
}

// LevelDB lets a second process listen on the same directory and then fail on its first request,
// so a second server on one directory must not start at all.
function lockDataDir (dataDir) {
  fs.mkdirSync(dataDir, { recursive: true })
  const lockFile = path.join(dataDir, '.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' })
      process.on('exit', () => releaseLock(lockFile))
      return
    } catch (err) {
      if (err.code !== 'EEXIST') throw err
    }
    const owner = Number.parseInt(fs.readFileSync(lockFile, 'utf8'), 10)
    if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
      fail(EXIT_IN_USE, `another dev server (pid ${owner}) uses the DynamoDB data dir ${dataDir}; ` +
        `stop it first, or delete ${lockFile} if no such server is running`)
    }
    fs.rmSync(lockFile, { force: true }) // stale: its owner is gone
  }
  fail(EXIT_IN_USE, `could not lock the DynamoDB data dir ${dataDir}: another dev server is starting on it`)
}

function releaseLock (lockFile) {
  try {
    if (fs.readFileSync(lockFile, 'utf8') === String(process.pid)) fs.rmSync(lockFile, { force: true })
  } catch (err) {
    // already gone
  }
}

const args = parseArgs(process.argv.slice(2))
if (args.path) lockDataDir(args.path)

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path: args.path })

let stopping = false
function stop (reason) {
  if (stopping) return
  stopping = true
  setTimeout(() => process.exit(0), FORCED_EXIT_MS).unref()
  server.closeAllConnections()
  server.close(err => {
    if (err) console.error(`DYNALITE_ERROR close after ${reason} failed: ${err.message}`)
    process.exit(0)
  })
}

server.on('error', err => fail(1, `server failed: ${err.message}`))

// dynalite rethrows a request stream's error (`req.on('error', err => { throw err })`), so a client that gives up
// mid-request (an SDK attempt timeout under load) would take the whole engine down. Such an abort concerns that one
// request only: note it and keep serving. Anything else is a real fault and ends the process.
const CLIENT_ABORTS = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE'])
process.on('uncaughtException', err => {
  if (CLIENT_ABORTS.has(err.code) || err.message === 'aborted') {
    console.error(`DYNALITE_WARN client aborted a request: ${err.code || err.message}`)
    return
  }
  console.error(`DYNALITE_ERROR ${err.stack || err}`)
  process.exit(1)
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`DYNALITE_PORT ${server.address().port}\n`)
})

process.stdin.on('end', () => stop('stdin closed'))
process.stdin.on('error', () => stop('stdin failed'))
process.stdin.resume()
process.on('SIGTERM', () => stop('SIGTERM'))
// Ctrl-C in a terminal reaches the whole process group: leave the stop to the JVM, which owns us,
// unless someone runs this script by hand
process.on('SIGINT', () => { if (process.stdin.isTTY) stop('SIGINT') })

const parentPid = process.ppid
setInterval(() => {
  if (process.ppid !== parentPid || !isAlive(parentPid)) stop('parent gone')
}, PARENT_POLL_MS).unref()
