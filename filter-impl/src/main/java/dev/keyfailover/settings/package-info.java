/**
 * The typed settings of a route (pool, upstream client, body limits, inbound limits), their
 * defaults and their validation, each in one place. {@code config} parses init-params into them.
 */
package dev.keyfailover.settings;
