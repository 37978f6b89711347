#!/usr/bin/env bash
# Dumps target/webstore.jsa, the store's class-data-sharing archive: the classes of src/main/cds/webstore.classlist
# (JDK and libraries and the store's own), parsed, verified and laid out once here so that every start maps them
# instead of loading them one by one. Run by `make package` after the jar is built; used by
#   java -XX:SharedArchiveFile=target/webstore.jsa -Xmx384m -jar target/webstore.jar
# The archive is valid only for this JVM build and this jar and lib/ exactly (paths, sizes, times): when either
# changes the JVM says so (a warning) and starts without it, at the speed of a start without it, never wrongly.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-target/webstore.jar}
ARCHIVE=${ARCHIVE:-target/webstore.jsa}
rm -f "$ARCHIVE"
# a class of the list that is gone or cannot be archived (bcprov's, from a signed jar) is skipped with a warning
java -Xshare:dump -XX:SharedClassListFile=src/main/cds/webstore.classlist -XX:SharedArchiveFile="$ARCHIVE" \
  -cp "$JAR" >target/webstore.jsa.log 2>&1 || { cat target/webstore.jsa.log; exit 1; }
echo "==> $ARCHIVE: $(du -m "$ARCHIVE" | cut -f1) MB, $(grep -c 'Preload Warning' target/webstore.jsa.log || true) listed classes not archived (target/webstore.jsa.log)"
