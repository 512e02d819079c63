/**
 * The JSON shapes of the API, for its OpenAPI document only ({@code /api/v1/openapi.json}): the REST DSL
 * names them in {@code outType} and {@code responseModel}. The resources build their answers themselves;
 * these records mirror them field by field (snake_case on the wire) and OpenApiDocumentTest keeps them honest.
 */
package io.channelsync.api.schema;
