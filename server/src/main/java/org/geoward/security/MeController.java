package org.geoward.security;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Collection;

/** Who the caller is: the web console reads its role from here. */
@Controller("/api/me")
@Secured(SecurityRule.IS_AUTHENTICATED)
final class MeController {

    /** The logged-in user's name and roles. */
    @Serdeable
    record Me(String username, Collection<String> roles) {}

    @Get
    Me me(Authentication authentication) {
        return new Me(authentication.getName(), authentication.getRoles());
    }
}
