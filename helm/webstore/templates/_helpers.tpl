{{- define "webstore.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "webstore.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "webstore.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "webstore.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "webstore.selectorLabels" -}}
app.kubernetes.io/name: {{ include "webstore.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "webstore.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "webstore.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "webstore.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "webstore.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "webstore.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* The variable that sets <section>.<key>, as the store's EnvOverrides.variableFor names it:
     aws.apiCallTimeoutMs -> WEBSTORE_AWS_API_CALL_TIMEOUT_MS. Call with (list section key). */}}
{{- define "webstore.envName" -}}
{{- $section := index . 0 }}{{- $key := index . 1 }}
{{- printf "WEBSTORE_%s_%s" (upper $section) (regexReplaceAll "([a-z0-9])([A-Z])" $key "${1}_${2}" | upper) }}
{{- end }}

{{/* A config value as the store reads it from a variable: lists comma-separated, maps as JSON (events.routes),
     whole numbers without an exponent (YAML numbers reach templates as float64: 1000000 would print as 1e+06). */}}
{{- define "webstore.envValue" -}}
{{- $value := . }}
{{- if kindIs "map" $value }}
{{- toJson $value }}
{{- else if kindIs "slice" $value }}
{{- $items := list }}
{{- range $value }}{{- $items = append $items (include "webstore.envValue" .) }}{{- end }}
{{- join "," $items }}
{{- else if and (kindIs "float64" $value) (eq $value (float64 (int64 $value))) }}
{{- int64 $value }}
{{- else }}
{{- toString $value }}
{{- end }}
{{- end }}

{{/* preStop + shutdown grace + drain + the store's own 10 s close margin (WebStore.stopOnSignal). */}}
{{- define "webstore.terminationGrace" -}}
{{- $s := .Values.shutdown }}
{{- $needed := add $s.preStopSleepSeconds $s.graceSeconds $s.drainSeconds 10 }}
{{- if kindIs "invalid" $s.terminationGracePeriodSeconds }}
{{- $needed }}
{{- else if lt (int $s.terminationGracePeriodSeconds) (int $needed) }}
{{- fail (printf "shutdown.terminationGracePeriodSeconds %v is shorter than preStop + grace + drain + 10 s = %v: requests would be killed mid-flight" $s.terminationGracePeriodSeconds $needed) }}
{{- else }}
{{- int $s.terminationGracePeriodSeconds }}
{{- end }}
{{- end }}

{{/* The runtime settings file the pods read, when the chart provides one. */}}
{{- define "webstore.runtimeFile" -}}
{{- if .Values.runtimeEfs.enabled }}
{{- printf "/mnt/runtime/%s" .Values.runtimeEfs.file }}
{{- else if .Values.runtimeSettings }}
{{- print "/etc/webstore/runtime/runtime.json" }}
{{- end }}
{{- end }}
