#!/usr/bin/env bash
# Assembles the container image's base from what a machine without a container registry can reach, and writes it as a
# `docker save` tarball that Jib reads as `tar://` (make image):
#   - the C runtime from pinned Debian 12 packages (scripts/image-base.debs: version and sha256 of each .deb),
#   - a Java 17 runtime jlinked from the build JDK (its jmods): only the modules the store needs, no compiler,
#   - /etc/passwd and /etc/group with the store's non-root user (uid/gid 10001, home /tmp: the only place it may
#     write), /tmp (1777), nothing else: no shell, no package manager.
# Files get uid 0, fixed timestamps and sorted order, so the same inputs give the same layer digest.
#
# Usage: scripts/image-base.sh [output.tar]   (default target/image-base.tar)
set -euo pipefail

cd "$(dirname "$0")/.."
OUT_TAR=${1:-target/image-base.tar}
WORK=target/image-base
ROOTFS=$WORK/rootfs
DEBS_FILE=scripts/image-base.debs
APP_UID=10001
# The modules `jdeps --multi-release 17 --print-module-deps --ignore-missing-deps --class-path 'target/lib/*'
# target/webstore.jar` names (java.compiler, java.desktop for java.beans, java.naming, java.security.jgss and .sasl
# for Kafka and MSK IAM, java.sql, jdk.jfr, jdk.management for Micrometer's JVM meters, jdk.unsupported for Netty and
# the SIGTERM handler), plus what jdeps cannot see: service providers (the EC and PKCS11 crypto providers for TLS and
# JWT, DNS for JNDI, zipfs) and JFR's management beans, for diagnostics in production.
MODULES=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,\
java.security.jgss,java.security.sasl,java.sql,java.xml,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.jfr,jdk.management,\
jdk.management.jfr,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs

for tool in apt-get dpkg-deb sha256sum tar; do
  command -v "$tool" >/dev/null || { echo "image-base: $tool is needed (a Debian or Ubuntu machine)" >&2; exit 1; }
done

JDK_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac || command -v java)")")")}
if [[ ! -x $JDK_HOME/bin/jlink || ! -d $JDK_HOME/jmods ]]; then
  echo "image-base: $JDK_HOME has no jlink or jmods; set JAVA_HOME to a full JDK 17 (Debian: openjdk-17-jdk-headless)" >&2
  exit 1
fi
JAVA_VERSION=$("$JDK_HOME/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.runtime.version/ {print $2}')
if [[ $JAVA_VERSION != 17.* ]]; then
  echo "image-base: the runtime must be Java 17 (the build's release); $JDK_HOME is $JAVA_VERSION" >&2
  exit 1
fi

rm -rf "$WORK"
mkdir -p "$ROOTFS" "$WORK/debs"

echo "==> image base: Debian packages ($DEBS_FILE)"
while read -r spec sha; do
  [[ -z $spec || $spec == \#* ]] && continue
  package=${spec%%=*}
  (cd "$WORK/debs" && apt-get download -q "$spec" >/dev/null 2>&1) || {
    echo "image-base: cannot download $spec; if Debian dropped that version, pin the current one in $DEBS_FILE" >&2
    exit 1
  }
  deb=$(ls "$WORK/debs/${package}_"*.deb)
  echo "$sha  $deb" | sha256sum --check --quiet - || { echo "image-base: $deb does not match its sha256" >&2; exit 1; }
  dpkg-deb -x "$deb" "$ROOTFS"
done < "$DEBS_FILE"
# Debian's documentation and the iconv modules are never read by the JVM; the licences stay.
find "$ROOTFS/usr/share/doc" -type f ! -name copyright -delete
rm -rf "$ROOTFS/usr/share/lintian" "$ROOTFS/usr/share/gcc" "$ROOTFS/usr/lib/x86_64-linux-gnu/gconv"

echo "==> image base: Java $JAVA_VERSION runtime (jlink from $JDK_HOME)"
"$JDK_HOME/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$ROOTFS/opt/java"

mkdir -p "$ROOTFS/etc" "$ROOTFS/tmp" "$ROOTFS/app"
chmod 1777 "$ROOTFS/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nwebstore:x:%s:%s:webstore:/tmp:/sbin/nologin\n' \
  "$APP_UID" "$APP_UID" > "$ROOTFS/etc/passwd"
printf 'root:x:0:\nwebstore:x:%s:\n' "$APP_UID" > "$ROOTFS/etc/group"
printf 'hosts: files dns\n' > "$ROOTFS/etc/nsswitch.conf"

echo "==> image base: layer and tarball"
LAYER=$WORK/layer.tar
tar --sort=name --mtime='1970-01-01 00:00:00Z' --owner=0 --group=0 --numeric-owner -C "$ROOTFS" -cf "$LAYER" .
DIFF_ID=sha256:$(sha256sum "$LAYER" | cut -d' ' -f1)
BUNDLE=$WORK/bundle
mkdir -p "$BUNDLE"
mv "$LAYER" "$BUNDLE/layer.tar"
cat > "$BUNDLE/config.json" <<EOF
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"],"WorkingDir":"/app",
  "Labels":{"io.webstore.base.java":"$JAVA_VERSION","io.webstore.base.debian":"bookworm"}},
 "rootfs":{"type":"layers","diff_ids":["$DIFF_ID"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"scripts/image-base.sh: Debian 12 libc, zlib, libstdc++; jlinked Java $JAVA_VERSION"}]}
EOF
printf '[{"Config":"config.json","RepoTags":["webstore-base:local"],"Layers":["layer.tar"]}]\n' \
  > "$BUNDLE/manifest.json"
mkdir -p "$(dirname "$OUT_TAR")"
tar --sort=name --mtime='1970-01-01 00:00:00Z' --owner=0 --group=0 --numeric-owner -C "$BUNDLE" \
  -cf "$OUT_TAR" manifest.json config.json layer.tar
echo "==> $OUT_TAR ($(du -h "$OUT_TAR" | cut -f1), layer $DIFF_ID)"
