package org.geoward.security;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Collection;
import org.geoward.audit.NotAudited;

/** Who the caller is: the web console reads its role from here. */
@NotAudited("the caller's own name and roles")
@Controller("/api/me")
@Secured(SecurityRule.IS_AUTHENTICATED)
final class MeController {

    /** The logged-in user's name, roles and, for officers and guardians, their own subject's id. */
    @Serdeable
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record Me(String username, Collection<String> roles, @io.micronaut.core.annotation.Nullable String subjectId) {}

    @Get
    Me me(Authentication authentication) {
        Object subject = authentication.getAttributes().get("subjectId");
        return new Me(authentication.getName(), authentication.getRoles(), subject == null ? null : subject.toString());
    }
}
