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
  /** how long the health check may take: it is answered at once, even while the service is busy with a job */
  var HEALTH_SECONDS = 10;

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

  function notService(env, detail) {
    var port = config(env).port, other = port === DEFAULT_PORT ? DEFAULT_PORT + 1 : DEFAULT_PORT;
    return new XltError(
      "端口 " + port + " 上回应的不是 xltargets 本地服务（" + detail + "），可能是另一个程序占用了这个端口。\n\n" +
      "请换一个端口：在命令行运行\n    xltargets serve --port " + other + "\n" +
      "再运行 xltargets wps install --port " + other + "，然后重新启动 WPS。"
    );
  }

  function silent(env, seconds) {
    return new XltError(
      "xltargets 本地服务（" + baseUrl(env) + "/）在 " + seconds + " 秒内没有响应。\n\n" +
      "请关闭运行 xltargets serve 的窗口，重新启动 xltargets serve 后再试；" +
      "若仍如此，可能是另一个程序占用了端口 " + config(env).port + "。"
    );
  }

  /** *promise*, or XltError *silent* after *seconds* (a service that accepts the connection and never answers). */
  function within(env, promise, seconds) {
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () { reject(silent(env, seconds)); }, seconds * 1000);
      promise.then(
        function (value) { clearTimeout(timer); resolve(value); },
        function (error) { clearTimeout(timer); reject(error); }
      );
    });
  }

  async function askHealth(env) {
    var response;
    try {
      response = await env.fetch(baseUrl(env) + "/api/health", { method: "GET", headers: {} });
    } catch (e) {
      throw notRunning(env);
    }
    var data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = null; // not JSON: another program's web page
    }
    if (!response.ok || !data || typeof data.version !== "string") {
      throw notService(env, response.ok ? "它的回应不是 xltargets 的" : "HTTP " + response.status);
    }
    return data;
  }

  /** GET /api/health (at most HEALTH_SECONDS) and refuse another program, or a service of another version. */
  async function ready(env) {
    var health = await within(env, askHealth(env), (env && env.healthSeconds) || HEALTH_SECONDS);
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
