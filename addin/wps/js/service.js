/*
 * XltService: the add-in's client of the local xltargets service (xltargets serve).
 *
 * The port and token come from js/config.js (written by `xltargets wps install`);
 * every request but health carries the token. Errors become XltError with a
 * Chinese message that says what to do (start the service, update it, ...).
 */
var XltService = (function () {
  "use strict";

  /** The add-in's version; the service must report the same one (tests keep it equal to xltargets.__version__). */
  var ADDIN_VERSION = "0.1.0";
  var DEFAULT_PORT = 47211;
  var START_COMMAND = "xltargets serve";

  function XltError(message) {
    this.name = "XltError";
    this.message = message;
  }
  XltError.prototype = Object.create(Error.prototype);
  XltError.prototype.constructor = XltError;

  function config(env) {
    var c = (env && env.config) || (typeof XLT_CONFIG !== "undefined" ? XLT_CONFIG : {}) || {};
    return { port: c.port || DEFAULT_PORT, token: c.token || "" };
  }

  function baseUrl(env) {
    return "http://127.0.0.1:" + config(env).port;
  }

  function notRunning(env) {
    return new XltError(
      "未连接到 xltargets 本地服务（" + baseUrl(env) + "/）。\n\n" +
      "请先启动它：在命令行（Windows 的“命令提示符”或 Linux 的终端）运行\n    " + START_COMMAND + "\n" +
      "并保持窗口打开；也可运行 xltargets wps install --autostart 让它随登录自动启动。"
    );
  }

  async function call(env, method, path, body) {
    var headers = {};
    if (path !== "/api/health") headers["Authorization"] = "Bearer " + config(env).token;
    var init = { method: method, headers: headers };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    var response;
    try {
      response = await env.fetch(baseUrl(env) + path, init);
    } catch (e) {
      throw notRunning(env);
    }
    if (!response.ok) {
      var text = "";
      try {
        var data = await response.json();
        text = data.message || data.error || "";
      } catch (e2) {
        text = "";
      }
      if (response.status === 401) {
        text = "xltargets 服务拒绝了加载项的访问令牌。\n\n请在命令行运行 xltargets wps install 更新加载项的配置，然后重新启动 WPS。";
      }
      throw new XltError(text || "xltargets 服务返回错误（HTTP " + response.status + "）。");
    }
    return response;
  }

  /** GET /api/health and refuse a service of another version. */
  async function ready(env) {
    var health = await (await call(env, "GET", "/api/health")).json();
    if (health.version !== ADDIN_VERSION) {
      throw new XltError(
        "xltargets 服务的版本是 " + health.version + "，而加载项的版本是 " + ADDIN_VERSION + "。\n\n" +
        "请在命令行运行 pip install -U xltargets，再运行 xltargets wps install，然后重新启动 " + START_COMMAND + " 和 WPS。"
      );
    }
    return health;
  }

  async function postJson(env, path, body) {
    return (await call(env, "POST", path, body)).json();
  }

  return {
    ADDIN_VERSION: ADDIN_VERSION,
    DEFAULT_PORT: DEFAULT_PORT,
    START_COMMAND: START_COMMAND,
    XltError: XltError,
    baseUrl: baseUrl,
    ready: ready,
    postJson: postJson,
  };
})();
if (typeof module === "object" && module.exports) module.exports = XltService;
