package io.webstore.http;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.InputTrustHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.RequestBody;
import io.vertx.openapi.contract.Style;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidationContext;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.analyser.ContentAnalyser;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatedRequestImpl;
import io.vertx.openapi.validation.transformer.FormTransformer;
import io.vertx.openapi.validation.transformer.LabelTransformer;
import io.vertx.openapi.validation.transformer.MatrixTransformer;
import io.vertx.openapi.validation.transformer.ParameterTransformer;
import io.vertx.openapi.validation.transformer.SimpleTransformer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates every request against {@code openapi.yaml}, as the router's own validation does (the same checks, the
 * same {@link ValidatorException}s as the cause of a 400 {@link HttpException}, the validated request under {@link
 * RouterBuilder#KEY_META_DATA_VALIDATED_REQUEST}), with each operation's schema validators built once, here.
 *
 * <p>Why not the router's: vertx-openapi 5.0.7's {@code RequestValidatorImpl} asks the schema repository for a new
 * validator for every parameter and body of every request, and each one copies the repository's whole lookup map (every
 * schema of the contract), on the shared worker pool, ordered per event loop. That was most of the CPU of a product
 * read. With the validators built up front, checking a request's few parameters and its body (at most {@code
 * http.bodyLimitBytes}) costs microseconds, so it runs on the event loop and saves two thread hops per request.
 */
final class ContractValidation {

  private static final RequestParameter ABSENT = new RequestParameterImpl(null);

  private final Map<String, OperationCheck> operations = new HashMap<>();

  ContractValidation(OpenAPIContract contract) {
    SchemaRepository schemas = contract.getSchemaRepository();
    Map<Style, ParameterTransformer> transformers = new EnumMap<>(Style.class);
    transformers.put(Style.SIMPLE, new SimpleTransformer());
    transformers.put(Style.LABEL, new LabelTransformer());
    transformers.put(Style.MATRIX, new MatrixTransformer());
    transformers.put(Style.FORM, new FormTransformer());
    for (Operation operation : contract.operations()) {
      List<ParameterCheck> parameters = new ArrayList<>();
      for (Parameter parameter : operation.getParameters()) {
        parameters.add(new ParameterCheck(parameter, transformers.get(parameter.getStyle()),
            schemas.validator(parameter.getSchema()), PlainString.of(parameter.getSchema())));
      }
      Map<MediaType, BodyCheck> bodies = new IdentityHashMap<>();
      RequestBody body = operation.getRequestBody();
      if (body != null) {
        body.getContent().values().stream().filter(ContractValidation::needsSchemaValidation)
            .forEach(mediaType -> bodies.put(mediaType, new BodyCheck(schemas.validator(mediaType.getSchema()),
                PlainObject.of(mediaType.getSchema()))));
      }
      operations.put(operation.getOperationId(), new OperationCheck(List.copyOf(parameters), body, bodies));
    }
  }

  /**
   * Makes this the validation of every operation of {@code builder}: switches the router's own off and binds ours as
   * the operation's first handler (so, as before, after authentication and before everything else). Call before any
   * other handler is bound.
   */
  void mount(RouterBuilder builder, RequestExtractor extractor) {
    operations.forEach((operationId, check) -> {
      OpenAPIRoute route = builder.getRoute(operationId);
      route.setDoValidation(false);
      route.addHandler(new Handler(route.getOperation(), check, extractor));
    });
  }

  /** Whether {@code handler} is the validation this class binds (and so no operation's own handler). */
  static boolean isValidation(io.vertx.core.Handler<RoutingContext> handler) {
    return handler instanceof Handler;
  }

  private static final class Handler implements InputTrustHandler {

    private final Operation operation;
    private final OperationCheck check;
    private final RequestExtractor extractor;

    Handler(Operation operation, OperationCheck check, RequestExtractor extractor) {
      this.operation = operation;
      this.check = check;
      this.extractor = extractor;
    }

    @Override
    public void handle(RoutingContext ctx) {
      extractor.extractValidatableRequest(ctx, operation).map(check::validate).onComplete(result -> {
        if (result.succeeded()) {
          ctx.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, result.result());
          ctx.next();
        } else if (result.cause() instanceof ValidatorException invalid) {
          ctx.fail(new HttpException(BAD_REQUEST.code(), invalid.getMessage(), invalid));
        } else {
          ctx.fail(result.cause());
        }
      });
    }
  }

  private record OperationCheck(List<ParameterCheck> parameters, RequestBody body, Map<MediaType, BodyCheck> bodies) {

    ValidatedRequestImpl validate(ValidatableRequest request) {
      Map<String, RequestParameter> cookies = new HashMap<>();
      Map<String, RequestParameter> headers = new HashMap<>();
      Map<String, RequestParameter> path = new HashMap<>();
      Map<String, RequestParameter> query = new HashMap<>();
      for (ParameterCheck check : parameters) {
        String name = check.parameter().getName();
        switch (check.parameter().getIn()) {
          case COOKIE -> cookies.put(name, check.validate(request.getCookies().get(name)));
          case HEADER -> headers.put(name, check.validate(request.getHeaders().get(name)));
          case PATH -> path.put(name, check.validate(request.getPathParameters().get(name)));
          case QUERY -> query.put(name, check.validate(request.getQuery().get(name)));
        }
      }
      return new ValidatedRequestImpl(cookies, headers, path, query, validateBody(request));
    }

    private RequestParameter validateBody(ValidatableRequest request) {
      if (body == null) {
        return ABSENT;
      }
      if (request.getBody() == null || request.getBody().isEmpty()) {
        if (body.isRequired()) {
          throw new ValidatorException("The related request does not contain the required body.",
              ValidatorErrorType.MISSING_REQUIRED_PARAMETER);
        }
        return ABSENT;
      }
      MediaType mediaType = body.determineContentType(request.getContentType());
      Buffer content = request.getBody().getBuffer(Buffer.buffer());
      ContentAnalyser analyser = mediaType == null ? null : ContentAnalyser.getContentAnalyser(mediaType,
          request.getContentType(), content, ValidationContext.REQUEST);
      if (analyser == null) {
        throw new ValidatorException("The format of the " + ValidationContext.REQUEST + " body is not supported",
            ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT);
      }
      analyser.checkSyntacticalCorrectness();
      BodyCheck check = bodies.get(mediaType);
      if (check == null) {
        return new RequestParameterImpl(content);
      }
      Object value = analyser.transform();
      if (check.plain() != null && check.plain().accepts(value)) {
        return new RequestParameterImpl(value);
      }
      OutputUnit result = check.validator().validate(value);
      try {
        result.checkValidity();
        return new RequestParameterImpl(value);
      } catch (JsonSchemaValidationException e) {
        throw SchemaValidationException.createInvalidValueBody(result, ValidationContext.REQUEST, e);
      }
    }
  }

  /** A body's schema validator and, for a plain object schema, the check that accepts most bodies without it. */
  private record BodyCheck(Validator validator, PlainObject plain) {
  }

  /**
   * A parameter's checks. For a string parameter in the simple or form style (a path segment, a header, a query
   * value), vertx-openapi 5.0.7's transformation of the raw text first matches it against {@code \\w+} (compiling
   * that pattern each time), then, unless it matched, parses it as JSON, and when that fails (with an exception and
   * its stack trace) parses it once more in quotes: for a SKU such as {@code SKU-00042} all three, about a tenth of a
   * product read's CPU. A word that cannot start a JSON value and holds nothing a JSON string would unescape comes
   * out of all that as itself, so {@link #isPlainWord} lets it skip the transformation; anything else takes it.
   */
  private record ParameterCheck(Parameter parameter, ParameterTransformer transformer, Validator validator,
      PlainString plain, boolean literal) {

    ParameterCheck(Parameter parameter, ParameterTransformer transformer, Validator validator, PlainString plain) {
      this(parameter, transformer, validator, plain, parameter.getSchemaType() == SchemaType.STRING
          && (parameter.getStyle() == Style.SIMPLE || parameter.getStyle() == Style.FORM));
    }

    RequestParameter validate(RequestParameter value) {
      if (value == null || value.isNull()) {
        if (parameter.isRequired()) {
          throw ValidatorException.createMissingRequiredParameter(parameter);
        }
        return ABSENT;
      }
      if (transformer == null) {
        throw ValidatorException.createUnsupportedValueFormat(parameter);
      }
      String raw = String.valueOf(value.get());
      Object transformed = literal && isPlainWord(raw) ? raw : transformer.transform(parameter, raw);
      if (plain != null && plain.accepts(transformed)) {
        return new RequestParameterImpl(transformed);
      }
      OutputUnit result = validator.validate(transformed);
      try {
        result.checkValidity();
        return new RequestParameterImpl(transformed);
      } catch (JsonSchemaValidationException e) {
        throw SchemaValidationException.createErrorFromOutputUnitType(parameter, result, e);
      }
    }
  }

  /**
   * Whether the library would turn {@code raw} into itself: it starts with an ASCII letter that starts no JSON
   * literal ({@code true}, {@code false}, {@code null}, and Jackson's optional {@code NaN} and {@code Infinity}), so
   * parsing it as JSON fails, and it has only letters, digits and {@code . _ ~ : -}, so parsing it in quotes gives it
   * back unchanged.
   */
  static boolean isPlainWord(String raw) {
    if (raw.isEmpty()) {
      return false;
    }
    char first = raw.charAt(0);
    if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z')) || "tfnNI".indexOf(first) >= 0) {
      return false;
    }
    for (int i = 1; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
          || c == '~' || c == ':' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /**
   * A string schema of only {@code type}, {@code pattern}, {@code minLength} and {@code maxLength} (most of the
   * contract's path and header parameters: a SKU, a session id), checked here in a few compares and one precompiled
   * pattern. vertx-json-schema 5.0.7 compiles the pattern on every validation, in a method too large for the JIT to
   * compile (over 8,000 bytes of bytecode: it stays interpreted), which was 4-7% of a product read's CPU. It only
   * ever accepts what the library accepts: lengths are compared in both UTF-16 units and code points, and anything it
   * does not accept goes to the library, so every refusal, and its message, is the library's.
   */
  private record PlainString(Pattern pattern, int minLength, int maxLength) {

    private static final Set<String> KEYWORDS = Set.of("type", "pattern", "minLength",
        "maxLength", "description", "example");

    static PlainString of(JsonSchema schema) {
      if (schema == null || !"string".equals(schema.get("type")) || !onlyKeywords(schema, KEYWORDS)) {
        return null;
      }
      Object pattern = schema.get("pattern");
      Object min = schema.get("minLength");
      Object max = schema.get("maxLength");
      if ((pattern != null && !(pattern instanceof String)) || (min != null && !(min instanceof Integer))
          || (max != null && !(max instanceof Integer))) {
        return null;
      }
      return new PlainString(pattern == null ? null : Pattern.compile((String) pattern),
          min == null ? 0 : (Integer) min, max == null ? Integer.MAX_VALUE : (Integer) max);
    }

    boolean accepts(Object value) {
      return value instanceof String text
          && text.length() <= maxLength
          && text.codePointCount(0, text.length()) >= minLength
          && (pattern == null || pattern.matcher(text).find());
    }
  }

  /**
   * An object schema of only {@code type}, {@code required}, {@code additionalProperties: false} and {@code
   * properties} that are each a {@link PlainString} or a {@link PlainInteger} (the contract's small command bodies: a
   * cart line's SKU and quantity). vertx-json-schema 5.0.7 validates a body in the same interpreted method as a
   * parameter (and compiles each property's pattern anew), about a tenth of the CPU of a refused add to the cart. As
   * {@link PlainString} does, it only ever accepts what the library accepts: a JSON object with every required
   * property, no other property, and each value certainly valid (no {@code null}, no fractional or big number);
   * anything else goes to the library, so every refusal, and its message, is the library's.
   */
  private record PlainObject(Map<String, Object> properties, Set<String> required) {

    private static final Set<String> KEYWORDS = Set.of("type", "required", "additionalProperties", "properties",
        "description", "example");

    static PlainObject of(JsonSchema schema) {
      if (schema == null || !"object".equals(schema.get("type"))
          || !Boolean.FALSE.equals(schema.get("additionalProperties")) || !onlyKeywords(schema, KEYWORDS)
          || !(schema.get("properties") instanceof JsonObject declared)) {
        return null;
      }
      Set<String> required = new HashSet<>();
      Object names = schema.get("required");
      if (names != null) {
        if (!(names instanceof JsonArray list)) {
          return null;
        }
        for (Object name : list) {
          if (!(name instanceof String text) || !declared.containsKey(text)) {
            return null;
          }
          required.add(text);
        }
      }
      Map<String, Object> properties = new HashMap<>();
      for (String name : declared.fieldNames()) {
        if (!(declared.getValue(name) instanceof JsonObject property)) {
          return null;
        }
        JsonSchema propertySchema = JsonSchema.of(property);
        Object check = "integer".equals(property.getValue("type")) ? PlainInteger.of(propertySchema)
            : PlainString.of(propertySchema);
        if (check == null) {
          return null;
        }
        properties.put(name, check);
      }
      return new PlainObject(Map.copyOf(properties), Set.copyOf(required));
    }

    boolean accepts(Object value) {
      if (!(value instanceof JsonObject body) || body.size() < required.size()) {
        return false;
      }
      int requiredSeen = 0;
      for (Map.Entry<String, Object> field : body) {
        Object check = properties.get(field.getKey());
        boolean valid = check instanceof PlainString string ? string.accepts(field.getValue())
            : check instanceof PlainInteger integer && integer.accepts(field.getValue());
        if (!valid) {
          return false;
        }
        if (required.contains(field.getKey())) {
          requiredSeen++;
        }
      }
      return requiredSeen == required.size();
    }
  }

  /**
   * An integer schema of only {@code type}, {@code minimum} and {@code maximum} (whole bounds). Only a Java {@code
   * Integer} or {@code Long} is accepted here (a JSON number written without fraction or exponent, as Jackson reads
   * it); {@code 1.0}, {@code 1e0} and numbers beyond a {@code long} go to the library.
   */
  private record PlainInteger(long minimum, long maximum) {

    private static final Set<String> KEYWORDS = Set.of("type", "minimum", "maximum", "description", "example");

    static PlainInteger of(JsonSchema schema) {
      if (!"integer".equals(schema.get("type")) || !onlyKeywords(schema, KEYWORDS)) {
        return null;
      }
      Object min = schema.get("minimum");
      Object max = schema.get("maximum");
      if ((min != null && !(min instanceof Integer || min instanceof Long))
          || (max != null && !(max instanceof Integer || max instanceof Long))) {
        return null;
      }
      return new PlainInteger(min == null ? Long.MIN_VALUE : ((Number) min).longValue(),
          max == null ? Long.MAX_VALUE : ((Number) max).longValue());
    }

    boolean accepts(Object value) {
      if (!(value instanceof Integer || value instanceof Long)) {
        return false;
      }
      long number = ((Number) value).longValue();
      return number >= minimum && number <= maximum;
    }
  }

  /** Whether {@code schema} has no keyword beyond {@code allowed} (and the repository's own {@code __} ones). */
  private static boolean onlyKeywords(JsonSchema schema, Set<String> allowed) {
    for (String keyword : schema.fieldNames()) {
      if (!allowed.contains(keyword) && !keyword.startsWith("__")) {
        return false;
      }
    }
    return true;
  }

  /**
   * As the library decides: no schema, or a plain binary string, is not validated (a binary string with more
   * keywords, such as a length, is).
   */
  private static boolean needsSchemaValidation(MediaType mediaType) {
    JsonSchema schema = mediaType.getSchema();
    if (schema == null) {
      return false;
    }
    boolean binaryOnly = "string".equalsIgnoreCase(schema.get("type"))
        && "binary".equalsIgnoreCase(schema.get("format")) && schema.fieldNames().size() == 2;
    return !binaryOnly;
  }
}
