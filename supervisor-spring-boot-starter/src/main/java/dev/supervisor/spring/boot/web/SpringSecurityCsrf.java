package dev.supervisor.spring.boot.web;

import dev.supervisor.web.PageSettings;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.servlet.function.ServerRequest;

/** The CSRF token Spring Security gives the request, if any: loaded only when Spring Security is on the class path. */
final class SpringSecurityCsrf {

    private SpringSecurityCsrf() {
    }

    /** settings, with the request's CSRF header and token when Spring Security protects it. */
    static PageSettings apply(ServerRequest request, PageSettings settings) {
        return request.attribute(CsrfToken.class.getName()).filter(CsrfToken.class::isInstance).map(CsrfToken.class::cast)
                .map(token -> settings.withCsrf(token.getHeaderName(), token.getToken())).orElse(settings);
    }
}
