package io.mediamesh.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.Style;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatedRequest;
import io.vertx.openapi.validation.ValidationContext;
import io.vertx.openapi.validation.analyser.ContentAnalyser;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import io.vertx.openapi.validation.impl.ValidatedRequestImpl;
import io.vertx.openapi.validation.transformer.FormTransformer;
import io.vertx.openapi.validation.transformer.LabelTransformer;
import io.vertx.openapi.validation.transformer.MatrixTransformer;
import io.vertx.openapi.validation.transformer.ParameterTransformer;
import io.vertx.openapi.validation.transformer.SimpleTransformer;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The contract's request validator (vertx-openapi's: same rules, same errors) without two costs that dominated the
 * gateway's profile under load:
 * <ul>
 *   <li>the stock validator builds a JSON Schema validator per parameter per request, and each one copies the
 *   contract's whole schema table; here every parameter gets its validator once, at startup (a validator keeps no
 *   state between calls, so one is shared by every thread);</li>
 *   <li>the stock validator always hops to a worker thread; here a request is validated where it arrived, in
 *   microseconds, when it has no body (every read) or a small one ({@link #INLINE_BODY_MAX}: commands such as a
 *   heartbeat); a larger body keeps the stock path on a worker;</li>
 *   <li>a body's schema validator, too, is built once per media type at startup instead of per request.</li>
 * </ul>
 */
public final class ContractValidator extends RequestValidatorImpl {

  /** Bodies up to this size are parsed and checked on the event loop (a 64 KiB JSON document in about a millisecond). */
  static final int INLINE_BODY_MAX = 16 * 1024;

  private final Map<Parameter, Validator> validators = new IdentityHashMap<>();
  private final Map<JsonSchema, Validator> bodyValidators = new IdentityHashMap<>();
  private final Map<Style, ParameterTransformer> transformers = new EnumMap<>(Style.class);

  public ContractValidator(Vertx vertx, OpenAPIContract contract) {
    super(vertx, contract);
    SchemaRepository schemas = contract.getSchemaRepository();
    for (Operation op : contract.operations()) {
      op.getParameters().forEach(p -> validators.put(p, schemas.validator(p.getSchema())));
      if (op.getRequestBody() != null) {
        op.getRequestBody().getContent().values().forEach(type -> {
          if (type.getSchema() != null) {
            bodyValidators.put(type.getSchema(), schemas.validator(type.getSchema()));
          }
        });
      }
    }
    transformers.put(Style.SIMPLE, new SimpleTransformer());
    transformers.put(Style.LABEL, new LabelTransformer());
    transformers.put(Style.MATRIX, new MatrixTransformer());
    transformers.put(Style.FORM, new FormTransformer());
  }

  @Override
  public Future<ValidatedRequest> validate(ValidatableRequest request, String operationId) {
    Operation op = contract.operation(operationId);
    if (op == null || op.getRequestBody() != null && !request.getBody().isNull()
      && request.getBody().getBuffer(Buffer.buffer()).length() > INLINE_BODY_MAX) {
      return super.validate(request, operationId); // the unknown-operation error, or a large body parsed on a worker
    }
    try {
      Map<String, RequestParameter> cookies = new HashMap<>(4);
      Map<String, RequestParameter> headers = new HashMap<>(4);
      Map<String, RequestParameter> path = new HashMap<>(4);
      Map<String, RequestParameter> query = new HashMap<>(8);
      for (Parameter param : op.getParameters()) {
        String name = param.getName();
        switch (param.getIn()) {
          case COOKIE -> cookies.put(name, validateParameter(param, request.getCookies().get(name)));
          case HEADER -> headers.put(name, validateParameter(param, request.getHeaders().get(name)));
          case PATH -> path.put(name, validateParameter(param, request.getPathParameters().get(name)));
          case QUERY -> query.put(name, validateParameter(param, request.getQuery().get(name)));
          default -> throw new IllegalStateException("parameter location " + param.getIn());
        }
      }
      RequestParameter body = op.getRequestBody() == null ? new RequestParameterImpl(null)
        : validateBody(op.getRequestBody(), request);
      return Future.succeededFuture(new ValidatedRequestImpl(cookies, headers, path, query, body));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** As the stock body check, with the media type's validator built once. */
  @Override
  protected RequestParameterImpl validate(MediaType type, String contentType, Buffer body, ValidationContext context) {
    Validator validator = type == null ? null : bodyValidators.get(type.getSchema());
    ContentAnalyser analyser = validator == null ? null
      : ContentAnalyser.getContentAnalyser(type, contentType, body, context);
    if (analyser == null || !isSchemaValidationRequired(type)) {
      return super.validate(type, contentType, body, context); // its refusal of the content type, or no schema
    }
    analyser.checkSyntacticalCorrectness();
    Object value = analyser.transform();
    OutputUnit result = validator.validate(value);
    try {
      result.checkValidity();
    } catch (JsonSchemaValidationException e) {
      throw SchemaValidationException.createInvalidValueBody(result, context, e);
    }
    return new RequestParameterImpl(value);
  }

  @Override
  public RequestParameter validateParameter(Parameter parameter, RequestParameter value) {
    Validator validator = validators.get(parameter);
    ParameterTransformer transformer = transformers.get(parameter.getStyle());
    if (validator == null || transformer == null || value == null || value.isNull()) {
      return super.validateParameter(parameter, value); // absent values and unknown styles: the stock rules
    }
    String raw = String.valueOf(value.get());
    // a string in form or simple style is its raw text: the stock transformer reads one starting with a quote as
    // JSON, so a search for "two words" -other was refused as undecodable
    boolean text = parameter.getSchemaType() == SchemaType.STRING
      && (parameter.getStyle() == Style.FORM || parameter.getStyle() == Style.SIMPLE);
    Object transformed = text ? raw : transformer.transform(parameter, raw);
    OutputUnit result = validator.validate(transformed);
    try {
      result.checkValidity();
    } catch (JsonSchemaValidationException e) {
      throw SchemaValidationException.createErrorFromOutputUnitType(parameter, result, e);
    }
    return new RequestParameterImpl(transformed);
  }
}
