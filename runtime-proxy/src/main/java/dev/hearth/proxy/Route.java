package dev.hearth.proxy;

import com.google.gson.JsonObject;

/** One endpoint. {@code body} is the parsed request object; for {@code GET} routes it is empty. */
interface Route {

    Reply handle(JsonObject body) throws ProxyError;
}
