'use strict'
// Local Cognito user pools for dev and tests (cognito-local), started by io.webstore.dev.CognitoLocalServer
// (src/test/java) in a working directory of its own: cognito-local keeps its state under ./.cognito/db there.
//
//   PORT=<port> HOST=127.0.0.1 node cognito-local-server.js
//
// cognito-local prints `Cognito Local running on http://<host>:<port>` once it listens, and every confirmation code
// it "sends" as a box holding `Username:` and `Code:` lines. This wrapper only makes it die with the JVM: it exits when
// its stdin (a pipe held by the JVM) reaches EOF or its parent process goes away, so even a `kill -9` of the JVM
// ends it.

const fs = require('fs')

const PARENT_POLL_MS = 1000
const HAS_PROC = fs.existsSync('/proc/self/stat')

function isAlive (pid) {
  if (HAS_PROC) {
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
    return err.code === 'EPERM'
  }
}

function stop () {
  process.exit(0)
}

process.stdin.on('end', stop)
process.stdin.on('error', stop)
process.stdin.resume()
process.on('SIGTERM', stop)
process.on('SIGINT', () => { if (process.stdin.isTTY) stop() })

const parentPid = process.ppid
setInterval(() => {
  if (process.ppid !== parentPid || !isAlive(parentPid)) stop()
}, PARENT_POLL_MS).unref()

require('cognito-local/lib/bin/start.js')
